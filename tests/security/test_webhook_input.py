"""Signed provider webhooks with hostile content: NUL characters are stripped (the provider will
not change what it sends), bodies nested too deep are a 400; never a 500, nothing broken stored."""

import json

import pytest

from messaging.models import InboundMessage, MessageState, OptOut
from tests.factories import MessageFactory, ShipmentFactory
from tests.messaging.dispatch.test_webhook_views import envelope
from tests.webhook_posts import twilio_post, whatsapp_post
from tracking.carriers import registry
from tracking.carriers.aftership import signature as aftership_signature
from tracking.models import TrackingEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("webhook_secrets")]


def test_a_nul_in_a_whatsapp_status_id_is_stripped_and_the_status_applied(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.X")
    status = {"id": "wamid.X\x00", "status": "read", "timestamp": "1763629200", "recipient_id": "31612345678\x00"}

    response = whatsapp_post(client, json.dumps(envelope([status])).encode())

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.state == MessageState.READ


def test_a_nul_in_a_whatsapp_text_is_stripped_and_the_stop_understood(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")
    inbound = {"from": "31612345678", "id": "wamid.\x00IN", "timestamp": "1763629200", "type": "text",
               "text": {"body": "ST\x00OP"}}

    response = whatsapp_post(client, json.dumps(envelope(messages=[inbound])).encode())

    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert "\x00" not in stored.text + stored.provider_message_id
    assert OptOut.objects.filter(brand=message.brand, recipient="+31612345678").exists()


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_a_signed_whatsapp_body_nested_too_deep_is_a_400(client, depth):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.X")
    body = json.dumps(envelope([{"id": "wamid.X", "status": "read", "timestamp": "1763629200"}]))
    body = body[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"

    response = whatsapp_post(client, body.encode())

    assert response.status_code == 400
    message.refresh_from_db()
    assert message.state == MessageState.SENT


def test_a_nul_in_a_twilio_callback_is_stripped(client):
    message = MessageFactory(channel="sms", state=MessageState.SENT, recipient="+31612345678",
                             provider_message_id="SM123")

    status = twilio_post(client, "/webhooks/twilio/status/",
                         {"MessageSid": "SM123\x00", "MessageStatus": "delivered\x00", "To": "+31612345678"})
    inbound = twilio_post(client, "/webhooks/twilio/inbound/",
                          {"MessageSid": "SM\x009", "From": "+31612345678", "To": "+3197010", "Body": "STOP\x00"})

    assert (status.status_code, inbound.status_code) == (204, 200)
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert "\x00" not in InboundMessage.objects.get().text
    assert OptOut.objects.filter(brand=message.brand, recipient="+31612345678").exists()


@pytest.fixture
def aftership():
    registry.reset()  # adapters are built once from settings: rebuild them with the test's secret
    yield
    registry.reset()


def aftership_post(client, body: bytes):
    return client.post("/webhooks/carriers/aftership/", body, content_type="application/json",
                       HTTP_AFTERSHIP_HMAC_SHA256=aftership_signature(body, "whsec-test"))


def test_a_signed_carrier_body_nested_too_deep_is_a_400_and_stores_nothing(client, aftership):
    ShipmentFactory(carrier="aftership", tracking_number="1Z999")
    body = '{"msg": {"tracking_number": "1Z999", "checkpoints": ' + "[" * 1_000 + "]" * 1_000 + "}}"

    response = aftership_post(client, body.encode())

    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()


def test_a_nul_in_a_carrier_event_is_stripped_before_it_is_stored(client, aftership):
    shipment = ShipmentFactory(carrier="aftership", tracking_number="1Z999")
    checkpoint = {"checkpoint_time": "2026-06-04T08:05:00+02:00", "tag": "InTransit", "subtag": "InTransit_001",
                  "message": "Arrived\x00 at hub", "location": "Utrecht\x00", "city": "Utrecht"}
    body = json.dumps({"msg": {"tracking_number": "1Z999\x00", "slug": "dhl", "checkpoints": [checkpoint]}})

    response = aftership_post(client, body.encode())

    assert response.status_code == 200, response.content
    event = TrackingEvent.objects.get(shipment=shipment)
    assert "\x00" not in event.description + event.location + event.external_id

