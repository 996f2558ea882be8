"""Fixtures of the security tests."""

import pytest
from django.core.cache import cache

from core import ratelimit


@pytest.fixture
def limits_from_scratch():
    """Empty rate-limit logs (and cache)."""
    cache.clear()
    ratelimit.reset()
    yield
    cache.clear()
    ratelimit.reset()


@pytest.fixture
def webhook_secrets(settings):
    """Every provider's webhook secret set, so that signed calls get past the signature checks."""
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_FROM_NUMBER = "AC0123", "+3197010"
    settings.AFTERSHIP_WEBHOOK_SECRET = "whsec-test"
