"""The histograms: provider call latency (one place: the outbox's provider call), request latency
per route pattern, and webhook lag from Meta's timestamps."""

import hashlib
import hmac
import json
import time
from unittest import mock

import pytest
import responses

from core.metrics import instruments
from messaging.dispatch import sending
from messaging.models import MessageState
from tests.factories.messaging import MessageFactory
from tests.factories.tracking import ShipmentFactory
from tests.metrics.conftest import value
from tests.switches import switch_on

pytestmark = pytest.mark.django_db
GRAPH = "https://graph.test/v23.0"
NUMBER = "106540352242922"


def count(scraped, name, **labels) -> float:
    return value(scraped, f"{name}_count", **labels) or 0.0


def sending_shipment(channel: str):
    """A parcel out for delivery of a brand that sends `channel` to NL (the switches are read again
    when a message goes: dispatch/toggles.py)."""
    shipment = ShipmentFactory(status="out_for_delivery", to_country="NL")
    switch_on(shipment.brand, channel)
    return shipment


def queued_whatsapp(**fields):
    shipment = sending_shipment("whatsapp")
    return MessageFactory(
        shipment=shipment,
        channel="whatsapp",
        trigger_status="out_for_delivery",
        whatsapp_template="pc_out_for_delivery",
        **fields,
    )


def test_a_replayed_whatsapp_send_is_timed_under_its_provider(scrape, settings):
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "token-0123456789", NUMBER
    labels = {"provider": "whatsapp_cloud", "channel": "whatsapp", "outcome": "accepted"}
    before = count(scrape(), "parcelcast_provider_call_seconds", **labels)
    message = queued_whatsapp()

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.add(
            responses.POST,
            f"{GRAPH}/{NUMBER}/messages",
            json={"messaging_product": "whatsapp", "messages": [{"id": "wamid.METRICS1"}]},
        )
        outcome = sending.send_message(message.pk)

    assert outcome.state == MessageState.SENT
    assert count(scrape(), "parcelcast_provider_call_seconds", **labels) == before + 1


def test_a_refused_send_is_timed_under_its_error_kind(scrape, settings):
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "token-0123456789", NUMBER
    labels = {"provider": "whatsapp_cloud", "channel": "whatsapp", "outcome": "config"}
    before = count(scrape(), "parcelcast_provider_call_seconds", **labels)
    message = queued_whatsapp()

    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.add(
            responses.POST,
            f"{GRAPH}/{NUMBER}/messages",
            status=400,
            json={"error": {"message": "Template missing", "code": 132001}},
        )
        sending.send_message(message.pk)

    assert count(scrape(), "parcelcast_provider_call_seconds", **labels) == before + 1


def test_sandbox_sends_are_timed_under_the_sandbox(scrape):
    labels = {"provider": "sandbox", "channel": "sms", "outcome": "accepted"}
    before = count(scrape(), "parcelcast_provider_call_seconds", **labels)
    shipment = sending_shipment("sms")

    sending.send_message(MessageFactory(shipment=shipment, channel="sms").pk)

    assert count(scrape(), "parcelcast_provider_call_seconds", **labels) == before + 1


def test_requests_are_timed_by_route_pattern_not_by_path(client, scrape):
    shipment = ShipmentFactory()
    pattern = {"route": "track/<slug:token>/", "method": "GET", "status": "2xx"}
    before = count(scrape(), "parcelcast_http_request_seconds", **pattern)

    client.get(shipment.tracking_url.removeprefix("https://parcelcast.test"))
    client.get("/healthz")
    scraped = scrape()

    assert count(scraped, "parcelcast_http_request_seconds", **pattern) == before + 1
    assert count(scraped, "parcelcast_http_request_seconds", route="healthz", method="GET", status="2xx") >= 1
    assert not [key for key in scraped if ("route", f"track/{shipment.tracking_token}/") in key[1]]


def test_an_unknown_path_is_one_label_whatever_the_path(client, scrape):
    client.get("/no/such/page/12345")
    client.get("/no/such/page/67890")

    scraped = scrape()

    assert count(scraped, "parcelcast_http_request_seconds", route="<unresolved>", method="GET", status="4xx") >= 2
    assert not [key for key in scraped if any("12345" in v for _, v in key[1])]


def test_whatsapp_status_webhooks_show_their_lag(client, scrape, settings):
    settings.WHATSAPP_APP_SECRET = "app-secret"
    message = queued_whatsapp(state="sent", provider="whatsapp_cloud", provider_message_id="wamid.LAG1")
    before = scrape()
    sent_at = int(time.time()) - 120
    statuses = [
        {
            "id": "wamid.LAG1",
            "status": state,
            "timestamp": str(sent_at),
            "recipient_id": "31612345678",
            "biz_opaque_callback_data": str(message.pk),
        }
        for state in ("delivered", "read")
    ]
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA",
                    "changes": [
                        {"field": "messages", "value": {"metadata": {"phone_number_id": NUMBER}, "statuses": statuses}}
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()

    response = client.post(
        "/webhooks/whatsapp/", body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )

    assert response.status_code == 200
    after = scrape()
    observed = count(after, "parcelcast_webhook_lag_seconds", provider="whatsapp_cloud") - count(
        before, "parcelcast_webhook_lag_seconds", provider="whatsapp_cloud"
    )
    lag = value(after, "parcelcast_webhook_lag_seconds_sum", provider="whatsapp_cloud") - (
        value(before, "parcelcast_webhook_lag_seconds_sum", provider="whatsapp_cloud") or 0
    )
    assert observed == 2
    assert 2 * 120 <= lag < 2 * 120 + 30


def test_a_send_goes_on_when_its_metrics_cannot_be_written():
    shipment = sending_shipment("sms")
    message = MessageFactory(shipment=shipment, channel="sms")

    with mock.patch.object(instruments.PROVIDER_CALL_SECONDS, "labels", side_effect=OSError("disk full")):
        outcome = sending.send_message(message.pk)

    assert outcome.state == MessageState.SENT
