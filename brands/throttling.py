"""API rate limits (DRF throttles), answered with 429 and `Retry-After`.

- `ApiKeyRateThrottle` ("api_key"): per API key, keyed by the key's public prefix (never the
  secret); a member's panel session counts per user.
- Bad API keys are limited in brands/authentication.py (which runs before any throttle): per
  client address for bad keys only, and per key prefix for wrong secrets; valid keys are never
  held back by another client's bad ones.

Rates are read from settings.THROTTLE_RATES at request time (DRF's own throttles read theirs once).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from brands.models import ApiKey
from core.ratelimit import client_ip, parse_rate


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self):  # DRF's reads THROTTLE_RATES once, in __init__; ours at request time
        self.rate = self.get_rate()
        self.num_requests, self.duration = parse_rate(self.rate)

    def get_rate(self) -> str:
        return settings.THROTTLE_RATES[self.scope]

    def get_ident(self, request) -> str:
        return client_ip(request)


class ApiKeyRateThrottle(_SettingsRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiKey):
            return f"throttle:api_key:{auth.prefix}"
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
            return f"throttle:api_user:{user.pk}"
        return None
