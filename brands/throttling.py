"""API rate limits (a DRF throttle), answered with 429 and `Retry-After`.

- `ApiKeyRateThrottle` ("api_key"): per API key, keyed by the key's public prefix (never the
  secret); a member's panel session counts per user. At most THROTTLE_RATES["api_key"] requests
  in any sliding period, counted atomically by core.ratelimit (DRF's own throttles keep a list of
  times in the cache, read and written back: concurrent requests lose counts).
- Bad API keys are limited in brands/authentication.py (which runs before any throttle): per
  client address for bad keys only, and per key prefix for wrong secrets; valid keys are never
  held back by another client's bad ones.

Rates are read from settings.THROTTLE_RATES at request time.
"""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from brands.models import ApiKey
from core.ratelimit import hit


class ApiKeyRateThrottle(BaseThrottle):
    scope = "api_key"

    def identity(self, request) -> str | None:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiKey):
            return f"key:{auth.prefix}"
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
            return f"user:{user.pk}"
        return None

    def allow_request(self, request, view) -> bool:
        identity = self.identity(request)
        if identity is None:
            self.retry_after = None
            return True
        verdict = hit(self.scope, identity)
        self.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> int | None:
        return self.retry_after
