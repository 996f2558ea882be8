from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BrandFactory, ShipmentFactory
from tests.tracking.conftest import T0
from tracking.models import Shipment, TrackingEvent
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

BULK = "/api/v1/tracking-events/"


def events_url(shipment) -> str:
    return f"/api/v1/shipments/{shipment.pk}/events/"


def item(number="ACME0001", status="in_transit", at=T0, external_id="e1", carrier="manual", **extra):
    return {"carrier": carrier, "tracking_number": number, "status": status, "occurred_at": at.isoformat(),
            "location": "Venlo, NL", "description": "Picked up", "external_id": external_id, **extra}


# --- one event ---------------------------------------------------------------------------------


def test_a_new_event_answers_201_and_a_repeat_200(api, shipment):
    body = {"status": "in_transit", "occurred_at": "2026-06-01T10:00:00+02:00", "location": "Venlo",
            "description": "Picked up", "external_id": "x1"}

    first = api.post(events_url(shipment), body, format="json")
    again = api.post(events_url(shipment), body, format="json")

    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and first.json()["occurred_at"] == "2026-06-01T08:00:00Z"
    shipment.refresh_from_db()
    assert shipment.status == Status.IN_TRANSIT and TrackingEvent.objects.count() == 1


def test_an_unknown_status_is_refused_naming_status(api, shipment):
    response = api.post(events_url(shipment), {"status": "teleported", "occurred_at": T0.isoformat()}, format="json")

    assert response.status_code == 400 and "status" in response.json()
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize("when", ["2026-06-01T10:00:00", "2026-06-01 10:00", "yesterday", ""])
def test_a_time_without_timezone_or_unreadable_is_refused_naming_occurred_at(api, shipment, when):
    response = api.post(events_url(shipment), {"status": "in_transit", "occurred_at": when}, format="json")

    assert response.status_code == 400 and "occurred_at" in response.json()
    assert not TrackingEvent.objects.exists()


def test_another_accounts_shipment_answers_404_whatever_the_body(outsider_api, shipment):
    response = outsider_api.post(events_url(shipment), {"status": "bogus"}, format="json")

    assert response.status_code == 404
    assert not TrackingEvent.objects.exists()


# --- bulk --------------------------------------------------------------------------------------


def test_bulk_counts_accepted_duplicates_and_unknown_numbers(api, shipment):
    TrackingEvent.objects.create(shipment=shipment, status="in_transit", occurred_at=T0, external_id="old")

    response = api.post(BULK, [
        item(external_id="old"),
        item(status="out_for_delivery", at=T0 + timedelta(hours=2), external_id="new"),
        item(status="out_for_delivery", at=T0 + timedelta(hours=2), external_id="new"),
        item(number="NOPE123", external_id="n"),
    ], format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == {"accepted": 1, "duplicates": 2, "unknown": ["NOPE123"], "rejected": []}
    shipment.refresh_from_db()
    assert shipment.status == Status.OUT_FOR_DELIVERY


def test_bulk_matches_tracking_numbers_written_differently(api, shipment):
    response = api.post(BULK, [item(number=" acme 0001 ")], format="json")

    assert response.json()["accepted"] == 1


def test_another_accounts_tracking_number_is_unknown_and_untouched(api, outsider):
    foreign = ShipmentFactory(brand=BrandFactory(account=outsider), carrier="manual", tracking_number="THEIRS1")

    response = api.post(BULK, [item(number="THEIRS1")], format="json")

    assert response.json() == {"accepted": 0, "duplicates": 0, "unknown": ["THEIRS1"], "rejected": []}
    foreign.refresh_from_db()
    assert foreign.status is None and not TrackingEvent.objects.exists()


def test_a_bad_item_never_sinks_the_others_and_comes_back_rejected_with_index_field_and_code(api, shipment):
    response = api.post(BULK, [
        item(external_id="a"),
        item(external_id="b", status="teleported"),
        item(external_id="c", at=T0 + timedelta(minutes=1)),
        {**item(external_id="d"), "occurred_at": "2026-06-01T10:00:00"},
        item(external_id="e", carrier="pigeon"),
    ], format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 2
    assert [(r["index"], r["field"], r["code"]) for r in body["rejected"]] == [
        (1, "status", "invalid_choice"), (3, "occurred_at", "naive"), (4, "carrier", "invalid_choice")]
    assert all(r["message"] for r in body["rejected"])
    assert set(TrackingEvent.objects.values_list("external_id", flat=True)) == {"a", "c"}


def test_an_event_from_2030_is_refused_alone_naming_occurred_at_with_code_in_the_future(api, shipment):
    response = api.post(f"/api/v1/shipments/{shipment.pk}/events/",
                        item(at=datetime(2030, 1, 1, tzinfo=UTC)), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "in_the_future" and response.json()["occurred_at"]
    assert not TrackingEvent.objects.exists()


def test_an_event_from_2030_in_a_bulk_call_is_rejected_and_the_real_one_moves_the_parcel(api, shipment):
    response = api.post(BULK, [item(external_id="future", status="delivered", at=datetime(2030, 1, 1, tzinfo=UTC)),
                               item(external_id="real", status="in_transit")], format="json")

    body = response.json()
    assert body["accepted"] == 1
    assert body["rejected"] == [{"index": 0, "field": "occurred_at", "code": "in_the_future",
                                 "message": body["rejected"][0]["message"]}]
    shipment.refresh_from_db()
    assert shipment.status == Status.IN_TRANSIT  # not frozen by the future event


def test_an_event_up_to_an_hour_ahead_of_our_clock_is_accepted(api, shipment):
    soon = timezone.now() + timedelta(minutes=59)
    response = api.post(f"/api/v1/shipments/{shipment.pk}/events/", item(at=soon), format="json")

    assert response.status_code == 201


def test_more_than_1000_events_are_refused_and_nothing_is_stored(api, shipment):
    events = [item(external_id=f"e{i}", at=T0 + timedelta(minutes=i)) for i in range(1001)]

    response = api.post(BULK, events, format="json")

    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status is None


def test_exactly_1000_events_are_accepted(api, shipment):
    events = [item(external_id=f"e{i}", at=T0 + timedelta(minutes=i)) for i in range(1000)]

    assert api.post(BULK, events, format="json").json()["accepted"] == 1000


@pytest.mark.parametrize("body", [{"carrier": "manual"}, "text", None])
def test_a_body_that_is_not_a_list_is_refused(api, body):
    assert api.post(BULK, body, format="json").status_code == 400


def _bulk_for(brand, count: int, prefix: str) -> list[dict]:
    Shipment.objects.bulk_create(
        [Shipment(brand=brand, carrier="manual", tracking_number=f"{prefix}{i}", to_country="NL",
                  tracking_token=f"{prefix}-token-{i}") for i in range(count)]
    )
    return [item(number=f"{prefix}{i}", external_id=f"{prefix}-{i}", status="in_transit") for i in range(count)]


def test_bulk_ingest_costs_a_constant_number_of_queries(api, brand, django_assert_max_num_queries):
    small, large = _bulk_for(brand, 10, "S"), _bulk_for(brand, 200, "L")
    with CaptureQueriesContext(connection) as for_10:
        assert api.post(BULK, small, format="json").json()["accepted"] == 10

    # The same bound for 20 times the events. Django splits an INSERT or a bulk UPDATE on SQLite
    # into statements of at most 999 parameters (one more of each here: the events, the status
    # update and the status entries); PostgreSQL sends one, but inserts more than
    # tracking.bulk.SMALL_BATCH rows through COPY: two statements more (staging, COPY) for the
    # events and for the status entries.
    extra = 4 if connection.vendor == "postgresql" else 3
    with django_assert_max_num_queries(len(for_10.captured_queries) + extra):
        response = api.post(BULK, large, format="json")

    assert response.json()["accepted"] == 200
    assert Shipment.objects.filter(status=Status.IN_TRANSIT).count() == 210
    # the status entries' insert (COPY here) and the count of earlier entries (their occurrence) included
    assert len(for_10.captured_queries) <= 15
