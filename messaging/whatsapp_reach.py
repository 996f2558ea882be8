"""Meta's messaging limit: how many different shoppers a business portfolio may reach with
template messages in a rolling 24 hours (250, 2,000, 10,000, 100,000 or unlimited; shared by
every number of the portfolio since October 2025, ../shared/PROVIDERS.md). Past it Meta refuses
the sends; one merchant's spike on the platform's number would use every merchant's reach.

So the sender counts per portfolio: the platform's business account for brands on the shared
number, a brand's own business account for a brand with its own number (messaging.senders).
`admit` takes the shoppers a batch wants to reach and answers which may go now: everyone
reached in the last 24 h already (a second message to the same shopper costs no reach), and
new ones while the portfolio has room. The rest are held or fall back (dispatch/gating.py).

The limit is `WHATSAPP_MESSAGING_LIMIT` per portfolio (default 2,000, Meta's first tier after the
business is verified; 0 = unlimited). Session replies (no template) cost no reach.
One sorted set per portfolio in Redis (shopper -> last reached), trimmed and updated by one Lua
script, so several workers never admit more than the room; the zero-setup run keeps it per
process. Redis unreachable: fail open, Meta refuses with 131056/130472-class errors anyway.
"""

from __future__ import annotations

import logging
import threading
import time

import redis

from messaging import throttle

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 24 * 3600
KEY_PREFIX = "parcelcast:reach:"

# KEYS[1] = sorted set; ARGV[1] = limit, ARGV[2..] = shoppers. Returns the admitted shoppers.
_LUA = f"""
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local limit = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - {WINDOW_SECONDS})
local count = redis.call('ZCARD', KEYS[1])
local admitted = {{}}
for i = 2, #ARGV do
  local known = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if known or count < limit then
    if not known then count = count + 1 end
    redis.call('ZADD', KEYS[1], now, ARGV[i])
    admitted[#admitted + 1] = ARGV[i]
  end
end
redis.call('EXPIRE', KEYS[1], {WINDOW_SECONDS} + 60)
return admitted
"""


class _LocalReach:
    """Per-process stand-in (zero-setup run): same arithmetic under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sets: dict[str, dict[str, float]] = {}

    def admit(self, key: str, limit: int, shoppers: list[str]) -> list[str]:
        with self._lock:
            now = time.time()
            reached = {s: at for s, at in self._sets.get(key, {}).items() if at > now - WINDOW_SECONDS}
            admitted = []
            for shopper in shoppers:
                if shopper in reached or len(reached) < limit:
                    reached[shopper] = now
                    admitted.append(shopper)
            self._sets[key] = reached
            return admitted


_local = _LocalReach()
_scripts: dict[str, object] = {}
_lock = threading.Lock()


def admit(portfolio: str, shoppers: list[str], *, limit: int) -> set[str]:
    """The shoppers of `shoppers` this portfolio may reach now (each recorded as reached)."""
    unique = list(dict.fromkeys(shoppers))
    if not unique or limit <= 0:  # 0: unlimited
        return set(unique)
    key = KEY_PREFIX + portfolio
    client = throttle.redis_client()
    if client is None:
        return set(_local.admit(key, limit, unique))
    try:
        with _lock:
            script = _scripts.get(id(client)) or _scripts.setdefault(id(client), client.register_script(_LUA))
        return {value.decode() if isinstance(value, bytes) else value for value in script(keys=[key], args=[limit, *unique])}
    except redis.RedisError as exc:
        logger.warning("messaging limit: Redis unavailable (%s), not counted", type(exc).__name__)
        return set(unique)


def forget_all() -> None:
    """Tests: the per-process counts start empty again."""
    _local._sets.clear()
