"""`Authorization: Bearer <api key>` for the REST API."""

import hmac

from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from brands.models import ApiKey, hash_key
from brands.tasks import enqueue_touch
from core.ratelimit import client_ip, exceeded, hit

# last_used_at is refreshed at most this often, so a busy integration costs no write per call.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)
AUTH_FAILURE_SCOPE = "api_auth_failures"


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
        # Guessing keys is slowed down per client address: past the limit even a right key waits.
        address = client_ip(request)
        verdict = exceeded(AUTH_FAILURE_SCOPE, address)
        if not verdict.allowed:
            raise exceptions.Throttled(wait=verdict.retry_after)
        prefix = ApiKey.split(raw)
        key = ApiKey.objects.select_related("account").filter(prefix=prefix).first() if prefix else None
        if key is None or not hmac.compare_digest(key.key_hash, hash_key(raw)):
            hit(AUTH_FAILURE_SCOPE, address)
            raise exceptions.AuthenticationFailed("Invalid API key.")
        if not key.is_active:
            hit(AUTH_FAILURE_SCOPE, address)
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        self._touch(key)
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _touch(key: ApiKey) -> None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            # Off the request path: reading the API costs no write.
            transaction.on_commit(lambda: enqueue_touch(key, now))
