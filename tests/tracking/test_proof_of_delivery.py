"""Proof of delivery: an https photo link on an event, checked (never fetched), stored on the event
and the shipment, answered by the API and shown on the tracking page."""

from datetime import timedelta

import pytest
import responses

from tests.factories import ShipmentFactory
from tests.tracking.conftest import T0
from tracking.carriers import CarrierEvent
from tracking.models import Shipment, TrackingEvent
from tracking.services import carrier_events_record, event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

PHOTO = "https://pod.carrier.example/p/00340434161094015902.jpg?sig=abc"


def events_url(shipment) -> str:
    return f"/api/v1/shipments/{shipment.pk}/events/"


def delivered(**extra) -> dict:
    return {"status": "delivered", "occurred_at": T0.isoformat(), "external_id": "d1", **extra}


def test_an_event_with_a_photo_link_stores_it_on_the_event_and_the_shipment_and_answers_it(api, shipment):
    with responses.RequestsMock(assert_all_requests_are_fired=True):  # nothing is fetched
        response = api.post(events_url(shipment), delivered(proof_of_delivery_url=PHOTO), format="json")

    assert response.status_code == 201 and response.json()["proof_of_delivery_url"] == PHOTO
    shipment.refresh_from_db()
    assert shipment.proof_of_delivery_url == PHOTO
    assert TrackingEvent.objects.get().proof_of_delivery_url == PHOTO
    detail = api.get(f"/api/v1/shipments/{shipment.pk}/").json()
    assert detail["proof_of_delivery_url"] == PHOTO and detail["events"][0]["proof_of_delivery_url"] == PHOTO


@pytest.mark.parametrize("link", [
    "http://pod.carrier.example/p/1.jpg",  # not https
    "ftp://pod.carrier.example/p/1.jpg",
    "javascript:alert(1)",
    "https://",
    "not a link",
    "https://pod.carrier.example/" + "a" * 1000,  # too long
])
def test_a_photo_link_that_is_not_a_short_https_link_is_refused_naming_the_field(api, shipment, link):
    response = api.post(events_url(shipment), delivered(proof_of_delivery_url=link), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["proof_of_delivery_url"]
    assert not TrackingEvent.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status is None and shipment.proof_of_delivery_url == ""


def test_a_bulk_item_with_a_bad_photo_link_is_rejected_by_index_and_field_the_others_taken(api, shipment):
    good = {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number, **delivered(
        proof_of_delivery_url=PHOTO)}
    bad = {**good, "external_id": "d2", "proof_of_delivery_url": "http://insecure.example/p.jpg"}

    response = api.post("/api/v1/tracking-events/", [good, bad], format="json")

    body = response.json()
    assert response.status_code in (200, 207), body
    assert body["accepted"] == 1
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [(1, "proof_of_delivery_url")]
    shipment.refresh_from_db()
    assert shipment.proof_of_delivery_url == PHOTO


def test_the_newest_photo_wins_and_an_event_without_one_keeps_it(shipment):
    event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0, external_id="a",
                 proof_of_delivery_url=PHOTO)
    event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0 + timedelta(minutes=5),
                 external_id="b")

    shipment.refresh_from_db()
    assert shipment.proof_of_delivery_url == PHOTO


def test_a_carrier_adding_the_photo_to_an_event_it_reported_before_fills_it_in(shipment):
    # given: the carrier reported the delivery without a photo
    scan = CarrierEvent(tracking_number=shipment.tracking_number, status=Status.DELIVERED, occurred_at=T0,
                        raw_code="delivered", raw_text="Delivered", location="", external_id="dhl-1")
    carrier_events_record(carrier=shipment.carrier, events=[scan])
    # when: the same event comes again with its photo
    again = CarrierEvent(**{**scan.__dict__, "proof_of_delivery_url": PHOTO})
    result = carrier_events_record(carrier=shipment.carrier, events=[again])

    # then: still one event (a repeat), now with the photo, and the shipment shows it
    assert result.accepted == 0 and TrackingEvent.objects.count() == 1
    assert TrackingEvent.objects.get().proof_of_delivery_url == PHOTO
    assert Shipment.objects.get(pk=shipment.pk).proof_of_delivery_url == PHOTO


def test_a_carriers_insecure_photo_link_is_dropped_not_the_event(shipment):
    scan = CarrierEvent(tracking_number=shipment.tracking_number, status=Status.DELIVERED, occurred_at=T0,
                        raw_code="delivered", raw_text="Delivered", location="", external_id="dhl-1",
                        proof_of_delivery_url="http://pod.example/p.jpg")

    result = carrier_events_record(carrier=shipment.carrier, events=[scan])

    assert result.accepted == 1 and TrackingEvent.objects.get().proof_of_delivery_url == ""


def test_the_tracking_page_shows_the_delivery_photo_with_alt_text_in_the_shoppers_language(client, brand):
    shipment = ShipmentFactory(brand=brand, language="nl")
    event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0, external_id="d",
                 proof_of_delivery_url=PHOTO)

    html = client.get(f"/track/{shipment.tracking_token}/").content.decode()

    assert f'src="{PHOTO.replace("&", "&amp;")}"' in html
    assert 'alt="Foto van je pakket waar het is bezorgd"' in html and 'referrerpolicy="no-referrer"' in html


def test_the_tracking_page_shows_no_photo_before_the_delivery(client, brand):
    shipment = ShipmentFactory(brand=brand)
    event_record(shipment=shipment, status=Status.OUT_FOR_DELIVERY, occurred_at=T0, external_id="o")

    html = client.get(f"/track/{shipment.tracking_token}/").content.decode()

    assert "tk-photo" not in html
