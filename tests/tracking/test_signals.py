"""shipment_status_changed: once per real change, only after commit, one per shipment in bulk."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction

from tests.factories import ShipmentFactory
from tests.tracking.conftest import T0
from tracking import services
from tracking.models import TrackingEvent
from tracking.services import event_record, events_record_bulk
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


def test_a_status_change_is_announced_with_its_event_after_commit(
    shipment, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        event, _ = event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
        assert announced == []  # not before the transaction commits

    for callback in callbacks:
        callback()
    assert announced == [
        {"shipment_id": shipment.pk, "status": Status.IN_TRANSIT, "previous_status": None, "event_id": event.pk}
    ]


def test_a_rolled_back_change_is_never_announced(shipment, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
                raise RuntimeError("boom")

    assert announced == []
    assert not TrackingEvent.objects.exists()


def test_no_announcement_when_the_status_stays_the_same(shipment, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0 + timedelta(hours=1), external_id="b")
        event_record(
            shipment=shipment, status=Status.READY_TO_SHIP, occurred_at=T0 - timedelta(hours=1), external_id="c"
        )

    assert [a["status"] for a in announced] == [Status.IN_TRANSIT]


def test_the_previous_status_is_announced_with_the_new_one(shipment, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
        event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0 + timedelta(hours=1), external_id="b")

    assert [(a["previous_status"], a["status"]) for a in announced] == [
        (None, Status.IN_TRANSIT), (Status.IN_TRANSIT, Status.DELIVERED),
    ]


def test_bulk_ingest_announces_once_per_changed_shipment_with_its_final_status(
    account, brand, announced, django_capture_on_commit_callbacks
):
    # given two shipments, one already delivered
    moving = ShipmentFactory(brand=brand, carrier="manual", tracking_number="MOVE1")
    done = ShipmentFactory(brand=brand, carrier="manual", tracking_number="DONE1")
    event_record(shipment=done, status=Status.DELIVERED, occurred_at=T0 + timedelta(days=1), external_id="d")

    # when three events of the first and a late one of the second arrive together
    items = [
        {"carrier": "manual", "tracking_number": "MOVE1", "status": s, "occurred_at": T0 + timedelta(hours=h),
         "external_id": f"m{h}"}
        for s, h in [(Status.IN_TRANSIT, 1), (Status.DELIVERED, 3), (Status.OUT_FOR_DELIVERY, 2)]
    ] + [{"carrier": "manual", "tracking_number": "DONE1", "status": Status.IN_TRANSIT, "occurred_at": T0,
          "external_id": "late"}]
    with django_capture_on_commit_callbacks(execute=True):
        result = events_record_bulk(account=account, items=items)

    # then one announcement, for the shipment that moved, with its newest status
    assert result.accepted == 4
    delivered_event = TrackingEvent.objects.get(shipment=moving, external_id="m3")
    assert [(a["shipment_id"], a["previous_status"], a["status"], a["event_id"]) for a in announced] == [
        (moving.pk, None, Status.DELIVERED, delivered_event.pk)
    ]


def test_a_failing_receiver_neither_blocks_others_nor_fails_the_write(
    shipment, announced, django_capture_on_commit_callbacks
):
    from tracking.signals import shipment_status_changed

    def broken(sender, **kwargs):
        raise ValueError("receiver bug")

    shipment_status_changed.connect(broken, dispatch_uid="tests-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
    finally:
        shipment_status_changed.disconnect(dispatch_uid="tests-broken")

    assert len(announced) == 1


def test_an_event_another_writer_stored_first_is_announced_with_that_writers_row(
    shipment, announced, django_capture_on_commit_callbacks
):
    real_insert = services.insert_rows
    first = {}

    def another_writer_first(model, fields, rows, **kwargs):
        # Between our duplicate check and our insert, the same event is stored by someone else.
        first["event"] = TrackingEvent.objects.create(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0,
                                                      external_id="a")
        return real_insert(model, fields, rows, **kwargs)

    with mock.patch.object(services, "insert_rows", side_effect=another_writer_first), \
            django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")

    assert TrackingEvent.objects.count() == 1
    assert [a["event_id"] for a in announced] == [first["event"].pk]
