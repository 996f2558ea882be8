"""What is news (DESIGN "Send decisions" 1-4): old events move the parcel but are not sent, every
entry into a status is news once, passing statuses give way and actionable ones never do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import Charge
from messaging.models import Message, MessageState
from messaging.tasks import plan_messages
from tracking.models import StatusEntry
from tracking.services import event_record
from tracking.statuses import ACTIONABLE, ALL_CODES, PASSING

pytestmark = pytest.mark.django_db


def announced(shipment) -> set[tuple[str, int, str]]:
    """(status, occurrence, channel) of the messages that went (not suppressed)."""
    return set(Message.objects.filter(shipment=shipment).exclude(state=MessageState.SUPPRESSED)
               .values_list("trigger_status", "occurrence", "channel"))


def test_a_three_month_old_event_moves_the_parcel_but_its_messages_are_stale_and_never_charged(shipment, move):
    move(shipment, "out_for_delivery", at=timezone.now() - timedelta(days=90))

    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery"
    messages = Message.objects.filter(shipment=shipment)
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms", "whatsapp"]
    assert set(messages.values_list("state", "error_code")) == {("suppressed", "stale_event")}
    assert not Charge.objects.exists()


def test_an_event_inside_its_news_window_is_sent(shipment, move):
    move(shipment, "out_for_delivery", at=timezone.now() - timedelta(hours=11))

    assert len(announced(shipment)) == 3


def test_a_second_delivery_attempt_is_announced_again_as_occurrence_two(shipment, move):
    for status in ("out_for_delivery", "delivery_failed", "out_for_delivery"):
        move(shipment, status)

    assert announced(shipment) == {
        (status, occurrence, channel)
        for status, occurrence in (("out_for_delivery", 1), ("delivery_failed", 1), ("out_for_delivery", 2))
        for channel in ("email", "sms", "whatsapp")
    }


def test_replays_of_the_second_attempt_never_announce_it_again(shipment, move):
    move(shipment, "out_for_delivery")
    move(shipment, "delivery_failed")
    second = move(shipment, "out_for_delivery")
    before = Message.objects.count()

    for _ in range(3):  # the same event again: a duplicate, not an entry
        event, created = event_record(shipment=shipment, status="out_for_delivery", occurred_at=second.occurred_at,
                                      external_id=second.external_id)
        assert not created
    plan_messages(list(StatusEntry.objects.values_list("pk", flat=True)))  # a redelivered planning task

    assert Message.objects.count() == before
    assert StatusEntry.objects.filter(shipment=shipment, status="out_for_delivery").count() == 2


def test_a_repeated_scan_of_the_current_status_is_no_new_entry(shipment, move):
    move(shipment, "in_transit")
    move(shipment, "in_transit")  # a second hub scan: still in transit

    assert {(s, o) for s, o, _ in announced(shipment)} == {("in_transit", 1)}


def test_a_burst_planned_late_still_sends_every_actionable_status_and_supersedes_passing_ones(
    shipment, django_capture_on_commit_callbacks
):
    # all eleven statuses stored before any planning task ran (a busy worker)
    start = timezone.now() - timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=False):
        for index, status in enumerate(ALL_CODES):
            event_record(shipment=shipment, status=status, occurred_at=start + timedelta(seconds=index))
    plan_messages(list(StatusEntry.objects.order_by("pk").values_list("pk", flat=True)))

    sent = {status for status, _, _ in announced(shipment)}
    assert sent == set(ACTIONABLE)
    superseded = set(Message.objects.filter(error_code="superseded").values_list("trigger_status", flat=True))
    assert superseded == set(PASSING)


def test_a_burst_gives_the_same_actionable_messages_as_a_slow_journey(notifying_brand, move,
                                                                      django_capture_on_commit_callbacks):
    from tests.factories.tracking import ShipmentFactory

    slow, fast = (ShipmentFactory(brand=notifying_brand, recipient_phone=f"+3161234567{n}",
                                  recipient_email=f"s{n}@example.com") for n in (1, 2))
    for status in ALL_CODES:
        move(slow, status)
    start = timezone.now() - timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=False):
        for index, status in enumerate(ALL_CODES):
            event_record(shipment=fast, status=status, occurred_at=start + timedelta(seconds=index))
    plan_messages(list(StatusEntry.objects.filter(shipment=fast).values_list("pk", flat=True)))

    def actionable(shipment):
        return {(s, o, c) for s, o, c in announced(shipment) if s in ACTIONABLE}

    assert actionable(fast) == actionable(slow) and actionable(fast)


def test_the_api_shows_occurrence_suppressed_reason_and_fallback_of(api, shipment, move):
    move(shipment, "out_for_delivery", at=timezone.now() - timedelta(days=2))

    results = api.get(f"/api/v1/messages/?shipment={shipment.pk}").json()["results"]

    assert {(m["occurrence"], m["state"], m["suppressed_reason"], m["fallback_of"]) for m in results} == {
        (1, "suppressed", "stale_event", None)}
