"""Rate limits of the public (anonymous) pages and webhooks, counted in the cache.

A limit is a scope of settings.THROTTLE_RATES ("N/period", period s, m, h or d) and an identity
(the client address, a brand slug...). Counting is a fixed window per (scope, identity): one
`cache.add` + `cache.incr`, atomic on Redis and on the local-memory cache. Past the limit the
answer is 429 with `Retry-After` (seconds until the window ends). The DRF API has its own
throttles (brands/throttling.py) on the same rates and client address.
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
