"""A token bucket shared by all workers: keeps WhatsApp sends under Meta's per-number throughput.

`take(key, count, rate, burst)` takes up to `count` tokens at once (a batch of sends asks once,
not once per message) and returns how many it took, and how many seconds to wait for the next
one when it could not take them all; tokens it could not take are not taken. The k-th token
after that one comes `wait + k / rate` from now (if nobody else takes it): the sender schedules
the messages it could not send for those moments and asks again then (dispatch/pacing.py);
nothing ever sleeps on the bucket. Default: 80 messages/s with a
burst of 80 per business phone number, Meta's default (upgraded numbers get 1,000/s).

With a Redis broker (CELERY_BROKER_URL=redis://...) the bucket lives in Redis and is updated
by one Lua script, so refill + take is atomic across processes and machines, on the Redis
server's clock (no skew between workers). Otherwise (zero-setup run) an in-process,
thread-safe bucket is used: it limits each process on its own, so N worker processes may send
N times the rate. Fine for demos; production runs Redis. If Redis cannot be reached we let the
send go (fail open): Meta enforces the limit anyway with 130429, which is retried.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

import redis

logger = logging.getLogger(__name__)

WHATSAPP_RATE = 80.0  # tokens per second
WHATSAPP_BURST = 80
KEY_PREFIX = "parcelcast:throttle:"
# Whole tokens are counted with this much slack, so that a caller coming back exactly `wait`
# later finds its token despite floating-point rounding (the same in the Lua script).
EPSILON = 1e-9

# KEYS[1] = bucket hash; ARGV = rate (tokens/s), burst, count wanted. Returns {taken, wait}, the
# wait as a string: a Lua number would be truncated to an integer by Redis.
_LUA = """
local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens, ts = tonumber(state[1]), tonumber(state[2])
if tokens == nil or ts == nil then tokens, ts = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local taken = math.min(want, math.floor(tokens + 1e-9))
tokens = tokens - taken
local wait = 0
if taken < want then wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {taken, tostring(wait)}
"""


class TokenBucket(Protocol):
    def take(self, key: str, rate: float, burst: int, count: int) -> tuple[int, float]: ...


class RedisTokenBucket:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._script = client.register_script(_LUA)  # EVALSHA, reloading the script if Redis lost it

    def take(self, key: str, rate: float, burst: int, count: int) -> tuple[int, float]:
        _check(rate, burst, count)
        taken, wait = self._script(keys=[KEY_PREFIX + key], args=[rate, burst, count])
        return int(taken), float(wait)


class LocalTokenBucket:
    """Per-process fallback: same arithmetic, a lock instead of Redis."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    def take(self, key: str, rate: float, burst: int, count: int) -> tuple[int, float]:
        _check(rate, burst, count)
        with self._lock:
            now = self._clock()
            tokens, ts = self._buckets.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + max(0.0, now - ts) * rate)
            taken = min(count, math.floor(tokens + EPSILON))
            tokens -= taken
            wait = (1 - tokens) / rate if taken < count else 0.0
            self._buckets[key] = (tokens, now)
            return taken, wait


def take(key: str, count: int, rate: float = WHATSAPP_RATE, burst: int = WHATSAPP_BURST) -> tuple[int, float]:
    """Take up to `count` tokens under `key`: (how many were taken, seconds until the next one
    when fewer than `count`)."""
    try:
        return _bucket().take(key, rate, burst, count)
    except redis.RedisError as exc:
        logger.warning("throttle: Redis unavailable (%s), sending unthrottled", type(exc).__name__)
        return count, 0.0


def whatsapp_key(phone_number_id: str) -> str:
    return f"whatsapp:{phone_number_id}"


def _check(rate: float, burst: int, count: int = 1) -> None:
    if rate <= 0 or burst < 1 or count < 1:
        raise ValueError(f"rate must be > 0, burst and count >= 1 (got {rate!r}, {burst!r}, {count!r})")


_local = LocalTokenBucket()
_redis_buckets: dict[str, RedisTokenBucket] = {}
_redis_lock = threading.Lock()


def _bucket() -> TokenBucket:
    from django.conf import settings  # read at call time: importing this module needs no settings

    url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not url.startswith(("redis://", "rediss://")):
        return _local
    with _redis_lock:  # one client (and connection pool) per URL per process
        if url not in _redis_buckets:
            client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
            _redis_buckets[url] = RedisTokenBucket(client)
        return _redis_buckets[url]


def redis_client() -> redis.Redis | None:
    """The Redis client the throttle counts in (None without a Redis broker: per-process counts)."""
    bucket = _bucket()
    return bucket.client if isinstance(bucket, RedisTokenBucket) else None
