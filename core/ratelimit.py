"""Rate limits of the public (anonymous) pages and webhooks, counted in the cache.

A limit is a scope of settings.THROTTLE_RATES ("N/period", period s, m, h or d) and an identity
(the client address, a brand slug...). Counting is a fixed window per (scope, identity): one
`cache.add` + `cache.incr`, atomic on Redis and on the local-memory cache. Past the limit the
answer is 429 with `Retry-After` (seconds until the window ends). The DRF API has its own
throttles (brands/throttling.py) on the same rates and client address.

Where wrong guesses are the abuse (order lookups, API keys), a `MissBudget` counts misses at one
target from all clients together and from each client, and holds back only the clients that
missed: see its docstring.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def _key(scope: str, identity: str, window: int) -> str:
    # Hashed: identities may be long or hold characters some cache backends refuse in keys.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}"


def _window(period: int) -> tuple[int, int]:
    now = time.time()
    return int(now // period), max(1, int(period - now % period))


def hit(scope: str, identity: str) -> Verdict:
    """Count one request of `identity` against `scope`; allowed while the count is within the limit."""
    limit, period = parse_rate(settings.THROTTLE_RATES[scope])
    window, retry_after = _window(period)
    key = _key(scope, identity, window)
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first hit of a new window
        cache.add(key, 1, timeout=period + 1)
        count = 1
    return Verdict(count <= limit, 0 if count <= limit else retry_after)


def exceeded(scope: str, identity: str) -> Verdict:
    """Whether `identity` is already over the limit of `scope`, without counting a request."""
    limit, period = parse_rate(settings.THROTTLE_RATES[scope])
    window, retry_after = _window(period)
    count = cache.get(_key(scope, identity, window), 0)
    return Verdict(count < limit, 0 if count < limit else retry_after)


@dataclass(frozen=True)
class MissBudget:
    """Misses (wrong guesses) at one target, e.g. one brand's order lookups or one API key, counted
    for the target from every client together (scope `shared`) and per (target, client) (scope `own`).

    While the target's shared budget lasts it refuses nobody. Once it is spent, until its window
    ends, a client whose own misses at the target reached the `own` allowance is refused; a client
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
        # Refused until either window ends.
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
