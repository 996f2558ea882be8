"""Webhooks fed random, truncated and oversized bodies with any content type: always a 4xx, and
nothing is stored (no receipt applied, no inbound message, no opt-out, no tracking event). Signed
bodies with hostile content (NUL, deep nesting, odd types and lengths): never a 5xx, no NUL stored."""

import hashlib
import hmac
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from messaging.models import InboundMessage, MessageState, OptOut
from tests.factories import MessageFactory, ShipmentFactory
from tracking.carriers import CARRIER_CODES, registry
from tracking.carriers.aftership import signature as aftership_signature
from tracking.models import TrackingEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("webhook_secrets")]

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
    body = VALID_WHATSAPP + b" " * (1024 * 1024)
    signature = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    response = client.post("/webhooks/whatsapp/", body, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 413
    assert_nothing_stored(sent)


# --- signed bodies with hostile content ----------------------------------------------------------
# What a provider (or whoever holds its secret) may send: any text where we expect ids, statuses and
# numbers, NUL characters, very long values, odd types, deep nesting. Always an answer below 500,
# and whatever is stored holds no NUL.

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15")) * 4
hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "STOP\x00", "wamid.X\x00", "TRACK \x00 1", "\r\nBcc: x@example.com", "9" * 400,
                     "+31612345678", "wamid.X", "STOP", "x" * 5000]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    hostile_text)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)
timestamps = st.one_of(st.just("1763629200"), st.integers(), hostile_text)
whatsapp_statuses = st.fixed_dictionaries(
    {"id": hostile_text, "status": st.sampled_from(["sent", "delivered", "read", "failed"]) | hostile_text,
     "timestamp": timestamps},
    optional={"recipient_id": json_values, "biz_opaque_callback_data": json_values, "errors": json_values,
              "pricing": json_values},
)
whatsapp_messages = st.fixed_dictionaries(
    {"from": hostile_text, "id": hostile_text, "timestamp": timestamps,
     "type": st.sampled_from(["text", "button", "interactive"]) | hostile_text},
    optional={"text": st.fixed_dictionaries({"body": hostile_text}) | json_values, "button": json_values,
              "interactive": json_values},
)
whatsapp_bodies = st.builds(
    lambda statuses, messages, metadata, extra, depth: json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "W", "changes": [{"field": "messages", "value": {
            "metadata": metadata, "statuses": statuses, "messages": messages}}]}],
        "extra": extra,
    })[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}",
    st.lists(whatsapp_statuses, max_size=3), st.lists(whatsapp_messages, max_size=3),
    json_values | st.fixed_dictionaries({"phone_number_id": hostile_text}), json_values,
    st.sampled_from([0, 5, 31, 33, 2000]),
)
twilio_forms = st.dictionaries(
    st.sampled_from(["MessageSid", "SmsSid", "MessageStatus", "From", "To", "Body", "ErrorCode", "ErrorMessage"]),
    hostile_text | st.sampled_from(["SM123", "delivered", "failed", "+31612345678"]), max_size=8,
)


def assert_no_nul_stored():
    stored = InboundMessage.objects.values_list("text", "provider_message_id", "sender")
    assert not any("\x00" in value for row in stored for value in row)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=whatsapp_bodies)
def test_signed_whatsapp_bodies_with_hostile_content_never_get_a_server_error(client, sent, body):
    raw = body.encode()
    signature = "sha256=" + hmac.new(b"app-secret", raw, hashlib.sha256).hexdigest()

    response = client.post("/webhooks/whatsapp/", raw, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=signature)

    assert response.status_code < 500
    assert_no_nul_stored()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(["/webhooks/twilio/status/", "/webhooks/twilio/inbound/"]), form=twilio_forms)
def test_signed_twilio_forms_with_hostile_content_never_get_a_server_error(client, path, form):
    signature = RequestValidator("twilio-token").compute_signature(f"http://testserver{path}", form)

    response = client.post(path, form, HTTP_X_TWILIO_SIGNATURE=signature)

    assert response.status_code < 500
    assert_no_nul_stored()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(tracking=st.fixed_dictionaries(
    {"tracking_number": hostile_text, "checkpoints": st.lists(json_values | st.fixed_dictionaries(
        {"checkpoint_time": hostile_text | st.just("2026-06-04T08:05:00+02:00"), "tag": hostile_text,
         "message": hostile_text, "location": hostile_text}), max_size=3)},
    optional={"slug": hostile_text, "expected_delivery": json_values},
) | json_values)
def test_signed_carrier_bodies_with_hostile_content_never_get_a_server_error(client, sent, tracking):
    registry.reset()  # adapters are built once from settings: rebuild them with the test's secret
    ShipmentFactory(carrier="aftership", tracking_number="STOP")
    raw = json.dumps({"msg": tracking}).encode()

    response = client.post("/webhooks/carriers/aftership/", raw, content_type="application/json",
                           HTTP_AFTERSHIP_HMAC_SHA256=aftership_signature(raw, "whsec-test"))

    assert response.status_code < 500
    stored = TrackingEvent.objects.values_list("description", "location", "external_id", "raw_code")
    assert not any("\x00" in value for row in stored for value in row)
