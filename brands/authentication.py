"""`Authorization: Bearer <api key>` for the REST API, and its limits on bad keys.

A key is `pc_<prefix>_<secret>` with 256 random bits of secret: nobody guesses one, so the limits
are there to hold back guessing loops and attempts at one key whose prefix leaked, without ever
refusing a valid key because another client sent bad ones:
- `api_auth_failures`, per client address: past it, a bad key is answered 429 instead of 401.
  A valid key authenticates regardless: offices and NATs share one address with strangers.
- `api_key_prefix_failures` / `..._per_address` (core.ratelimit.MissBudget): wrong secrets for one
  prefix from all addresses, and from one address. Once the prefix's budget is spent, an address
  that sent its allowance of wrong secrets for it is refused (429) before any key is read or
  hashed, whatever it sends with that prefix; other addresses, and other keys from that address,
  are untouched. No budget locks a key everywhere: that would let anyone who saw a prefix switch
  a merchant's integration off.
"""

import hmac
from typing import NoReturn

from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from brands.models import ApiKey, hash_key
from brands.tasks import enqueue_touch
from core.ratelimit import MissBudget, client_ip, hit

# last_used_at is refreshed at most this often, so a busy integration costs no write per call.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)
AUTH_FAILURE_SCOPE = "api_auth_failures"
PREFIX_FAILURES = MissBudget(shared="api_key_prefix_failures", own="api_key_prefix_failures_per_address")


class ApiKeyPrincipal:
    """The `request.user` of an API-key request: the account itself, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.account = api_key.account

    def __str__(self) -> str:
        return f"API key {self.api_key.prefix}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, raw = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        address = client_ip(request)
        prefix = ApiKey.split(raw)
        if prefix:
            # Before the key is read: the refusal cannot tell a right secret from a wrong one.
            verdict = PREFIX_FAILURES.check(prefix, address)
            if not verdict.allowed:
                raise exceptions.Throttled(wait=verdict.retry_after)
        key = ApiKey.objects.select_related("account").filter(prefix=prefix).first() if prefix else None
        if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
            self._failed(prefix, address, "Invalid API key.")
        if not key.is_active:
            self._failed(prefix, address, "This API key has been revoked.")
        self._touch(key)
        return ApiKeyPrincipal(key), key

    @staticmethod
    def _failed(prefix: str | None, address: str, message: str) -> NoReturn:
        if prefix:
            PREFIX_FAILURES.miss(prefix, address)
        verdict = hit(AUTH_FAILURE_SCOPE, address)
        if not verdict.allowed:
            raise exceptions.Throttled(wait=verdict.retry_after)
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _touch(key: ApiKey) -> None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            # Off the request path: reading the API costs no write.
            transaction.on_commit(lambda: enqueue_touch(key, now))
