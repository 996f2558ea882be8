"""POST /webhooks/carriers/<carrier>/ with the AfterShip adapter (signed with HMAC-SHA256)."""

import json
from pathlib import Path

import pytest

from tests.factories import BrandFactory, ShipmentFactory
from tracking.carriers.aftership import signature
from tracking.models import Source, TrackingEvent
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

URL = "/webhooks/carriers/aftership/"
SECRET = "whsec-test-0123456789"
PAYLOAD = Path(__file__).parent / "carriers" / "payloads" / "aftership_webhook_tracking_update.json"


@pytest.fixture
def aftership(settings, fresh_adapters):
    settings.AFTERSHIP_WEBHOOK_SECRET = SECRET


@pytest.fixture
def body() -> bytes:
    return PAYLOAD.read_bytes()


def post(client, body: bytes, sig: str | None):
    headers = {"HTTP_AFTERSHIP_HMAC_SHA256": sig} if sig is not None else {}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_a_signed_webhook_stores_the_events_and_moves_the_status(client, aftership, body, brand):
    shipment = ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")

    response = post(client, body, signature(body, SECRET))

    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "duplicates": 0, "unknown": 0}
    shipment.refresh_from_db()
    assert shipment.status == Status.OUT_FOR_DELIVERY
    assert set(shipment.events.values_list("source", flat=True)) == {Source.WEBHOOK}


def test_a_replayed_webhook_stores_nothing_new(client, aftership, body, brand):
    ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")
    post(client, body, signature(body, SECRET))

    response = post(client, body, signature(body, SECRET))

    assert response.json() == {"accepted": 0, "duplicates": 3, "unknown": 0}
    assert TrackingEvent.objects.count() == 3


def test_a_bad_signature_is_refused_with_403_and_nothing_is_stored(client, aftership, body, brand):
    shipment = ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")

    for sig in ("bm90LXRoZS1yaWdodC1zaWduYXR1cmU=", None, signature(body, "another-secret")):
        assert post(client, body, sig).status_code == 403

    shipment.refresh_from_db()
    assert shipment.status is None and not TrackingEvent.objects.exists()


def test_a_tampered_body_is_refused_with_403(client, aftership, body, brand):
    ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")
    tampered = body.replace(b"OutForDelivery_001", b"Delivered_001")

    assert post(client, tampered, signature(body, SECRET)).status_code == 403
    assert not TrackingEvent.objects.exists()


def test_without_a_configured_secret_every_webhook_is_refused(client, settings, fresh_adapters, body, brand):
    settings.AFTERSHIP_WEBHOOK_SECRET = ""
    ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")

    assert post(client, body, signature(body, "")).status_code == 403
    assert not TrackingEvent.objects.exists()


def test_a_signed_but_unreadable_payload_is_refused_with_400(client, aftership):
    body = b'{"event": "tracking_update", "msg": {"checkpoints": "nope"}}'

    assert post(client, body, signature(body, SECRET)).status_code == 400
    assert not TrackingEvent.objects.exists()


def test_events_reach_every_account_tracking_that_number_and_unknown_ones_are_counted(
    client, aftership, body, brand, outsider
):
    ours = ShipmentFactory(brand=brand, carrier="aftership", tracking_number="CP123456789DE")
    theirs = ShipmentFactory(brand=BrandFactory(account=outsider), carrier="aftership", tracking_number="CP123456789DE")
    ShipmentFactory(brand=brand, carrier="dhl", tracking_number="CP123456789DE")  # another carrier's number

    response = post(client, body, signature(body, SECRET))

    assert response.json()["accepted"] == 6
    assert ours.events.count() == 3 and theirs.events.count() == 3


def test_a_number_nobody_tracks_is_acknowledged_without_storing(client, aftership, body):
    response = post(client, body, signature(body, SECRET))

    assert response.status_code == 200 and response.json() == {"accepted": 0, "duplicates": 0, "unknown": 1}


def test_a_carrier_that_does_not_push_refuses_webhooks(client):
    assert client.post("/webhooks/carriers/sandbox/", data=b"{}", content_type="application/json").status_code == 403


def test_an_unknown_carrier_is_a_404(client):
    assert client.post("/webhooks/carriers/pigeon/", data=b"{}", content_type="application/json").status_code == 404


def test_the_webhook_needs_no_csrf_token_and_takes_only_post(aftership, body):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert post(strict, body, signature(body, SECRET)).status_code == 200
    assert strict.get(URL).status_code == 405


def test_the_payload_fixture_is_what_the_test_thinks(body):
    assert json.loads(body)["msg"]["tracking_number"] == "CP123456789DE"
