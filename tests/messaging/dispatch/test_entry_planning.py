"""Planning from status entries: an entry is marked planned in the transaction that inserts its
messages; the sweeper plans what a lost task left; a replayed event gets its messages."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from messaging import tasks
from messaging.dispatch import entry_planning
from messaging.models import Message
from tests.factories import ShipmentFactory, StatusEntryFactory
from tracking.models import Shipment, StatusEntry
from tracking.services import event_record

pytestmark = pytest.mark.django_db


def entry_of(shipment, status="delivered", *, age=timedelta(0), happened=None):
    """An unplanned entry of a shipment now in `status`, written `age` ago (its task never ran),
    its event dated `happened` (default: now)."""
    happened = happened or timezone.now()
    Shipment.objects.filter(pk=shipment.pk).update(status=status, status_at=happened)
    entry = StatusEntryFactory(shipment=shipment, status=status, event__occurred_at=happened)
    StatusEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - age)
    return entry


def states(shipment) -> dict[str, set[tuple[str, str]]]:
    """trigger status -> {(state, error code)} of the shipment's messages."""
    found: dict[str, set[tuple[str, str]]] = {}
    for status, state, code in Message.objects.filter(shipment=shipment).values_list(
            "trigger_status", "state", "error_code"):
        found.setdefault(status, set()).add((state, code))
    return found


def channels(shipment) -> list[str]:
    return sorted(Message.objects.filter(shipment=shipment).values_list("channel", flat=True))


def planned(entry) -> bool:
    return StatusEntry.objects.get(pk=entry.pk).planned_at is not None


def test_planning_an_entry_marks_it_planned_with_its_messages(shipment, move):
    move(shipment, "out_for_delivery")

    entry = StatusEntry.objects.get(shipment=shipment)
    assert entry.planned_at is not None
    assert channels(shipment) == ["email", "sms", "whatsapp"]


def test_a_planner_that_dies_before_its_commit_leaves_the_entry_unplanned_and_no_message(shipment):
    entry = entry_of(shipment)

    with mock.patch.object(entry_planning, "status_entries_mark_planned", side_effect=SystemExit("killed")), \
            pytest.raises(SystemExit):
        entry_planning.plan_entries([entry.pk], claim_until=None)

    assert not planned(entry) and channels(shipment) == []
    # planned again later, once and completely
    entry_planning.plan_entries([entry.pk], claim_until=None)
    assert planned(entry) and channels(shipment) == ["email", "sms", "whatsapp"]


def test_a_redelivered_planning_task_plans_nothing_twice(shipment):
    entry = entry_of(shipment)
    tasks.plan_messages([entry.pk])
    before = list(Message.objects.order_by("pk").values_list("pk", "state", "attempts"))

    assert tasks.plan_messages([entry.pk]) == 0

    assert list(Message.objects.order_by("pk").values_list("pk", "state", "attempts")) == before


def test_the_sweeper_plans_an_entry_left_by_a_lost_task_and_skips_fresh_ones(notifying_brand):
    lost = entry_of(ShipmentFactory(brand=notifying_brand), age=entry_planning.GRACE + timedelta(seconds=1))
    fresh = entry_of(ShipmentFactory(brand=notifying_brand), age=entry_planning.GRACE - timedelta(seconds=5))

    assert tasks.plan_unplanned_entries() == 1

    assert planned(lost) and channels(lost.shipment) == ["email", "sms", "whatsapp"]
    assert not planned(fresh) and channels(fresh.shipment) == []
    # and the sweeper's messages are sent (through send tasks, eager here)
    assert not Message.objects.filter(shipment=lost.shipment, state="queued").exists()


def test_the_sweeper_works_in_batches_until_nothing_is_due(notifying_brand, monkeypatch):
    monkeypatch.setattr(entry_planning, "BATCH", 2)
    entries = [entry_of(ShipmentFactory(brand=notifying_brand), age=timedelta(minutes=5)) for _ in range(5)]
    batches = []

    def enqueue(message_ids):
        batches.append(message_ids)

    assert entry_planning.plan_due_entries(now=timezone.now(), enqueue_sends=enqueue) == 5

    assert all(planned(entry) for entry in entries)
    assert [len(ids) for ids in batches] == [6, 6, 3]  # 2, 2 and 1 parcels of three channels each


def test_a_replayed_event_whose_planning_task_was_lost_gets_its_messages(
    shipment, django_capture_on_commit_callbacks
):
    at = timezone.now()
    # the first delivery: stored and committed, but its planning task is lost
    with mock.patch.object(tasks.plan_messages, "delay"), django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status="delivered", occurred_at=at, external_id="dlv-1")
    assert channels(shipment) == []

    # the client replays the event: a duplicate, no status change, yet its messages are planned
    with django_capture_on_commit_callbacks(execute=True):
        _, created = event_record(shipment=shipment, status="delivered", occurred_at=at, external_id="dlv-1")

    assert not created
    assert channels(shipment) == ["email", "sms", "whatsapp"]
    assert planned(StatusEntry.objects.get(shipment=shipment))


def test_a_passing_entry_the_parcel_has_left_is_planned_superseded(shipment):
    entry = entry_of(shipment, "in_transit", happened=timezone.now() - timedelta(minutes=5))
    Shipment.objects.filter(pk=shipment.pk).update(status="delivered", status_at=timezone.now())

    entry_planning.plan_entries([entry.pk], claim_until=None)

    assert planned(entry) and states(shipment) == {"in_transit": {("suppressed", "superseded")}}


def test_an_actionable_entry_is_sent_even_after_the_parcel_moved_on(shipment):
    entry = entry_of(shipment, "delivery_failed", happened=timezone.now() - timedelta(minutes=5))
    Shipment.objects.filter(pk=shipment.pk).update(status="out_for_delivery", status_at=timezone.now())

    entry_planning.plan_entries([entry.pk], claim_until=None)

    assert states(shipment) == {"delivery_failed": {("queued", "")}}


def test_of_two_entries_of_a_parcel_in_one_batch_the_older_passing_one_gives_way(shipment):
    older = entry_of(shipment, "in_transit", happened=timezone.now() - timedelta(minutes=5))
    newer = entry_of(shipment, "out_for_delivery")

    entry_planning.plan_entries([newer.pk, older.pk], claim_until=None)

    assert planned(older) and planned(newer)
    assert states(shipment) == {"in_transit": {("suppressed", "superseded")},
                                "out_for_delivery": {("queued", "")}}
