"""Fixtures of the security tests."""

from unittest import mock

import pytest
from django.core.cache import cache


@pytest.fixture
def limits_from_scratch():
    """Empty rate-limit counters, and a clock that stays inside one window of every period, so
    counting never straddles a minute or hour boundary mid-test."""
    cache.clear()
    # Half past an hour, 30.5 s into a minute.
    with mock.patch("core.ratelimit.time", mock.Mock(time=lambda: 1_800_001_830.5)):
        yield
    cache.clear()


@pytest.fixture
def webhook_secrets(settings):
    """Every provider's webhook secret set, so that signed calls get past the signature checks."""
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_FROM_NUMBER = "AC0123", "+3197010"
    settings.AFTERSHIP_WEBHOOK_SECRET = "whsec-test"
