"""Webhooks fed random, truncated and oversized bodies with any content type: always a 4xx, and
nothing is stored (no receipt applied, no inbound message, no opt-out, no tracking event)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import InboundMessage, MessageState, OptOut
from tests.factories import MessageFactory
from tracking.carriers import CARRIER_CODES
from tracking.models import TrackingEvent

pytestmark = pytest.mark.django_db

URLS = ["/webhooks/whatsapp/", "/webhooks/twilio/status/", "/webhooks/twilio/inbound/",
        *(f"/webhooks/carriers/{code}/" for code in CARRIER_CODES)]
VALID_WHATSAPP = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
    {"field": "messages", "value": {"metadata": {"phone_number_id": "1"},
                                     "statuses": [{"id": "wamid.X", "status": "read", "timestamp": "1763629200"}],
                                     "messages": [{"from": "31612345678", "id": "wamid.IN", "type": "text",
                                                   "text": {"body": "STOP"}}]}}]}]}).encode()
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data",
                 "application/xml", "", "application/json; charset=utf-16"]
bodies = st.one_of(
    st.binary(max_size=2048),
    st.integers(min_value=0, max_value=len(VALID_WHATSAPP)).map(lambda n: VALID_WHATSAPP[:n]),  # truncated
    st.text(max_size=500).map(str.encode),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5).map(lambda d: json.dumps(d).encode()),
)


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_FROM_NUMBER = "AC0123", "+3197010"
    settings.AFTERSHIP_WEBHOOK_SECRET = "whsec-test"


@pytest.fixture
def sent(db):
    return MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.X")


def assert_nothing_stored(sent):
    sent.refresh_from_db()
    assert sent.state == MessageState.SENT
    assert not InboundMessage.objects.exists() and not OptOut.objects.exists()
    assert not TrackingEvent.objects.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(URLS), body=bodies, content_type=st.sampled_from(CONTENT_TYPES),
       signature=st.one_of(st.none(), st.text(max_size=80)))
def test_random_and_truncated_bodies_are_refused_and_store_nothing(client, sent, url, body, content_type, signature):
    headers = {}
    if signature is not None:
        headers = {"HTTP_X_HUB_SIGNATURE_256": signature, "HTTP_X_TWILIO_SIGNATURE": signature,
                   "HTTP_AFTERSHIP_HMAC_SHA256": signature}
    response = client.generic("POST", url, body, content_type=content_type, **headers)

    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert_nothing_stored(sent)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded", "text/plain"])
def test_oversized_bodies_are_refused(client, sent, url, content_type):
    body = b'{"entry": [' + b'{"id": "x"},' * 100_000 + b"{}]}"  # ~1.2 MB
    assert len(body) > 1024 * 1024

    response = client.generic("POST", url, body, content_type=content_type)

    assert response.status_code in (400, 403, 413), response.status_code
    assert_nothing_stored(sent)


def test_an_oversized_body_with_a_valid_signature_is_still_refused(client, sent, settings):
    import hashlib
    import hmac

    body = VALID_WHATSAPP + b" " * (1024 * 1024)
    signature = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    response = client.post("/webhooks/whatsapp/", body, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 413
    assert_nothing_stored(sent)
