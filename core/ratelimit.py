"""Rate limits of the API, the public (anonymous) pages and webhooks: at most N in any period.

A limit is a scope of settings.THROTTLE_RATES ("N/period", period s, m, h or d) and an identity
(an API key's prefix, the client address, a brand slug...). Counting is a sliding log: the times
of the last N accepted requests per (scope, identity), so "1200/m" is at most 1,200 in *any* 60
seconds. (Before, a fixed window per clock minute here let up to twice the limit through across a
minute's edge, and the API's DRF throttle, a list of times read and written back in the cache, lost
counts to concurrent requests.) Refused requests are not logged: a client over the limit gets in again as soon as its
oldest request leaves the window, and `Retry-After` says when that is.

The log is the `limits` library's moving window: on Redis one Lua script per request (atomic
across processes and hosts), otherwise its in-process memory storage (the zero-setup default,
one process). The storage is settings.RATELIMIT_STORAGE_URL (by default the cache's Redis).

Where wrong guesses are the abuse (order lookups, API keys), a `MissBudget` counts misses at one
target from all clients together and from each client, and holds back only the clients that
missed: see its docstring.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from limits import RateLimitItemPerSecond, storage
from limits.strategies import MovingWindowRateLimiter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEY_PREFIX = "pc-rl"


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/m' -> (20, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES trusted proxies in front, the address
    the outermost trusted proxy saw (earlier entries of X-Forwarded-For are the client's to forge)."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


@functools.cache
def _limiter(url: str) -> MovingWindowRateLimiter:
    options = {"key_prefix": KEY_PREFIX} if url.startswith(("redis://", "rediss://")) else {}
    return MovingWindowRateLimiter(storage.storage_from_string(url, **options))


def limiter() -> MovingWindowRateLimiter:
    """The limiter on settings.RATELIMIT_STORAGE_URL (one per URL and process: a connection pool)."""
    return _limiter(settings.RATELIMIT_STORAGE_URL)


def reset() -> None:
    """Forget every count (tests)."""
    limiter().storage.reset()


def _item(scope: str) -> tuple[RateLimitItemPerSecond, str]:
    limit, period = parse_rate(settings.THROTTLE_RATES[scope])
    return RateLimitItemPerSecond(limit, period), scope


def _identity(identity: str) -> str:
    # Hashed: identities may be long or hold characters a key should not (spaces, "/").
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _refused(item, scope: str, identity: str) -> Verdict:
    """Refused until the oldest request in the window leaves it (at least a second)."""
    reset_at = limiter().get_window_stats(item, scope, identity).reset_time
    return Verdict(False, max(1, math.ceil(reset_at - time.time())))


def hit(scope: str, identity: str) -> Verdict:
    """Count one request of `identity` against `scope`: allowed (and logged) while fewer than the
    limit were allowed in the last period."""
    item, scope = _item(scope)
    identity = _identity(identity)
    if limiter().hit(item, scope, identity):
        return Verdict(True)
    return _refused(item, scope, identity)


def exceeded(scope: str, identity: str) -> Verdict:
    """Whether `identity` is already at the limit of `scope`, without counting a request."""
    item, scope = _item(scope)
    identity = _identity(identity)
    if limiter().test(item, scope, identity):
        return Verdict(True)
    return _refused(item, scope, identity)


@dataclass(frozen=True)
class MissBudget:
    """Misses (wrong guesses) at one target, e.g. one brand's order lookups or one API key, counted
    for the target from every client together (scope `shared`) and per (target, client) (scope `own`).

    While the target's shared budget lasts it refuses nobody. Once it is spent (the limit reached
    within the sliding period), a client whose own misses at the target reached the `own` allowance is refused; a client
    that missed less (a shopper who mistyped once, a fresh address) is still answered. A many-address
    attack thus gets the shared budget plus a few guesses per address, and a right answer is never
    refused because other clients missed.

    `check` runs before the guess is looked at and reads only counters, never the guess: a refusal,
    and the time it takes, cannot tell whether the guess was right.
    """

    shared: str
    own: str

    def check(self, target: str, client: str) -> Verdict:
        shared = exceeded(self.shared, target)
        if shared.allowed:
            return shared
        own = exceeded(self.own, f"{target}|{client}")
        if own.allowed:
            return own
        # Refused until either budget has room again.
        return Verdict(False, min(shared.retry_after, own.retry_after))

    def miss(self, target: str, client: str) -> None:
        hit(self.shared, target)
        hit(self.own, f"{target}|{client}")


def too_many_requests(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        "Too many requests. Try again later.", status=429, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str):
    """Decorate a plain Django view: at most THROTTLE_RATES[scope] requests per client address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            verdict = hit(scope, client_ip(request))
            if not verdict.allowed:
                return too_many_requests(verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
