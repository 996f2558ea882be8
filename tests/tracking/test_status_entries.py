"""Status entries: written with the event that moved the shipment, in its transaction; one per
entry into a status; a replayed event whose entry was never planned announces it again."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import ShipmentFactory, StatusEntryFactory
from tests.tracking.conftest import T0
from tracking.models import StatusEntry, TrackingEvent
from tracking.services import event_record, events_record_bulk
from tracking.signals import status_entries_pending
from tracking.status_entries import status_entries_mark_planned, status_entries_take_unplanned
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    """The entry ids of every status_entries_pending sent during the test, one list per signal."""
    seen = []

    def receiver(sender, *, entry_ids, **kwargs):
        seen.append(list(entry_ids))

    status_entries_pending.connect(receiver, dispatch_uid="tests-pending")
    yield seen
    status_entries_pending.disconnect(dispatch_uid="tests-pending")


def record(shipment, status, at, external_id):
    return event_record(shipment=shipment, status=status, occurred_at=at, external_id=external_id)[0]


def test_a_status_change_writes_an_unplanned_entry_with_the_event_that_made_it(
    shipment, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = record(shipment, Status.IN_TRANSIT, T0, "a")

    entry = StatusEntry.objects.get()
    assert (entry.shipment_id, entry.status, entry.event_id, entry.planned_at) == (
        shipment.pk, Status.IN_TRANSIT, event.pk, None
    )
    assert pending == []  # not before the commit
    for callback in callbacks:
        callback()
    assert pending == [[entry.pk]]


def test_a_rolled_back_ingest_leaves_no_entry_and_announces_none(shipment, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        record(shipment, Status.IN_TRANSIT, T0, "a")
        assert StatusEntry.objects.count() == 1  # written inside the event's transaction
        raise RuntimeError("the caller fails after the ingest")

    assert not StatusEntry.objects.exists() and not TrackingEvent.objects.exists()
    assert pending == []


def test_events_that_leave_the_status_as_it_is_write_no_entry(shipment):
    record(shipment, Status.IN_TRANSIT, T0, "a")
    record(shipment, Status.IN_TRANSIT, T0 + timedelta(hours=1), "b")  # same status
    record(shipment, Status.READY_TO_SHIP, T0 - timedelta(hours=1), "c")  # late

    assert list(StatusEntry.objects.values_list("status", flat=True)) == [Status.IN_TRANSIT]


def test_entering_the_same_status_again_writes_a_second_entry(shipment):
    for hours, (status, external_id) in enumerate(
        [(Status.OUT_FOR_DELIVERY, "a"), (Status.DELIVERY_FAILED, "b"), (Status.OUT_FOR_DELIVERY, "c")]
    ):
        record(shipment, status, T0 + timedelta(hours=hours), external_id)

    entries = StatusEntry.objects.order_by("pk")
    assert [(e.status, e.event.external_id) for e in entries] == [
        (Status.OUT_FOR_DELIVERY, "a"), (Status.DELIVERY_FAILED, "b"), (Status.OUT_FOR_DELIVERY, "c"),
    ]


def test_a_bulk_ingest_writes_one_entry_per_shipment_moved_with_its_newest_status(
    account, brand, pending, django_capture_on_commit_callbacks
):
    ShipmentFactory(brand=brand, carrier="manual", tracking_number="ONE")
    ShipmentFactory(brand=brand, carrier="manual", tracking_number="TWO")
    items = [
        {"carrier": "manual", "tracking_number": number, "status": status, "occurred_at": T0 + timedelta(hours=h),
         "external_id": f"{number}-{h}"}
        for number, status, h in [("ONE", Status.IN_TRANSIT, 1), ("ONE", Status.DELIVERED, 2),
                                  ("TWO", Status.IN_TRANSIT, 1)]
    ]

    with django_capture_on_commit_callbacks(execute=True):
        events_record_bulk(account=account, items=items)

    entries = {e.shipment.tracking_number: e for e in StatusEntry.objects.select_related("shipment", "event")}
    assert {number: (e.status, e.event.external_id) for number, e in entries.items()} == {
        "ONE": (Status.DELIVERED, "ONE-2"), "TWO": (Status.IN_TRANSIT, "TWO-1"),
    }
    assert [sorted(ids) for ids in pending] == [sorted(e.pk for e in entries.values())]


def test_a_replayed_event_whose_entry_was_never_planned_announces_it_again(
    shipment, pending, django_capture_on_commit_callbacks
):
    record(shipment, Status.IN_TRANSIT, T0, "a")  # its announcement is lost: never run
    entry = StatusEntry.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        record(shipment, Status.IN_TRANSIT, T0, "a")

    assert pending == [[entry.pk]]
    assert StatusEntry.objects.count() == 1  # a replay is no new entry


def test_a_replayed_event_whose_entry_is_planned_announces_nothing(
    shipment, pending, django_capture_on_commit_callbacks
):
    record(shipment, Status.IN_TRANSIT, T0, "a")
    status_entries_mark_planned(ids=[StatusEntry.objects.get().pk], now=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        record(shipment, Status.IN_TRANSIT, T0, "a")

    assert pending == []


def test_taking_unplanned_entries_skips_planned_and_recent_ones_oldest_first(brand):
    now = timezone.now()
    old, older, recent, planned = StatusEntryFactory.create_batch(4, shipment__brand=brand)
    for entry, age in ((old, 2), (older, 3), (recent, 0), (planned, 5)):
        StatusEntry.objects.filter(pk=entry.pk).update(created_at=now - timedelta(minutes=age))
    status_entries_mark_planned(ids=[planned.pk], now=now)

    with transaction.atomic():
        taken = status_entries_take_unplanned(created_before=now - timedelta(minutes=1))

    assert [entry.id for entry in taken] == [older.pk, old.pk]
    assert (taken[0].shipment_id, taken[0].status) == (older.shipment_id, older.status)


def test_marking_planned_touches_only_unplanned_entries(brand):
    entry = StatusEntryFactory(shipment__brand=brand)
    first = timezone.now() - timedelta(minutes=1)

    assert status_entries_mark_planned(ids=[entry.pk], now=first) == 1
    assert status_entries_mark_planned(ids=[entry.pk], now=timezone.now()) == 0

    entry.refresh_from_db()
    assert entry.planned_at == first
