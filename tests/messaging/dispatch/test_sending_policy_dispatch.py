"""The brand's sending policy in dispatch (DESIGN "Send decisions" rule 7): quiet hours in the
shopper's local time, the cap per shipment, consolidation of passing statuses, and "ready to ship"
announced at the first scan."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging import tasks
from messaging.dispatch.planning import plan_messages
from messaging.models import Message, MessageState
from messaging.services.sending_policy import sending_policy_replace
from tests.factories.messaging import MessageFactory
from tests.factories.policies import SendingPolicyFactory
from tests.factories.tracking import ShipmentFactory
from tracking.models import Shipment

pytestmark = pytest.mark.django_db

GONE = {MessageState.SENT, MessageState.DELIVERED, MessageState.READ}
# 23:00 in Amsterdam (CET, UTC+1) on a winter evening; the window ends at 08:00 local, 07:00 UTC.
LATE_EVENING = datetime(2026, 1, 14, 22, 0, tzinfo=UTC)
WINDOW_OPENS = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def states(shipment, status) -> dict[str, tuple[str, str]]:
    return {m.channel: (m.state, m.error_code)
            for m in Message.objects.filter(shipment=shipment, trigger_status=status)}


def announced(shipment) -> list[str]:
    """Statuses announced to the shopper (sent or still to go), one per entry, in order."""
    rows = (Message.objects.filter(shipment=shipment).exclude(state=MessageState.SUPPRESSED)
            .order_by("pk").values_list("trigger_status", "occurrence"))
    return [status for status, _ in dict.fromkeys(rows)]


# --- quiet hours -----------------------------------------------------------------------------


def test_a_message_at_23_00_amsterdam_is_held_and_sent_when_the_window_opens_at_08_00(
    notifying_brand, shipment, move, clock
):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True)  # 21:00 to 08:00
    clock.now = LATE_EVENING

    move(shipment, "in_transit")

    held = Message.objects.filter(shipment=shipment)
    assert {(m.channel, m.state, m.not_before) for m in held} == {
        (channel, MessageState.SCHEDULED, WINDOW_OPENS) for channel in ("email", "sms", "whatsapp")}
    clock.now = WINDOW_OPENS - timedelta(seconds=1)
    assert tasks.release_scheduled_messages() == 0

    clock.now = WINDOW_OPENS
    assert tasks.release_scheduled_messages() == 3

    assert {m.state for m in held.all()} <= GONE
    assert {m.sent_at for m in held.all()} == {WINDOW_OPENS}


def test_switching_quiet_hours_off_sends_what_they_held_now_not_when_the_window_would_have_opened(
    notifying_brand, shipment, move, clock
):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True)
    clock.now = LATE_EVENING
    move(shipment, "in_transit")
    capped = MessageFactory(shipment=shipment, brand=notifying_brand, channel="whatsapp", trigger_status="delayed",
                            state=MessageState.SCHEDULED, error_code="spend_cap", not_before=WINDOW_OPENS)
    other_brand = SendingPolicyFactory(quiet_hours_enabled=True).brand
    elsewhere = MessageFactory(shipment=ShipmentFactory(brand=other_brand), brand=other_brand,
                               state=MessageState.SCHEDULED, not_before=WINDOW_OPENS)
    clock.now = LATE_EVENING + timedelta(minutes=5)

    sending_policy_replace(brand=notifying_brand, document={"consolidation_seconds": 600})

    held = Message.objects.filter(shipment=shipment, trigger_status="in_transit")
    # Consolidation still applies: ten minutes after each was made, not at 08:00 Amsterdam.
    assert {m.not_before for m in held} == {LATE_EVENING + timedelta(minutes=10)}
    clock.now = LATE_EVENING + timedelta(minutes=10)
    assert tasks.release_scheduled_messages() == 3
    assert {m.state for m in held.all()} <= GONE
    capped.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (capped.state, capped.not_before) == (MessageState.SCHEDULED, WINDOW_OPENS)
    assert elsewhere.not_before == WINDOW_OPENS


def test_an_excepted_status_in_quiet_hours_is_sent_at_once(notifying_brand, shipment, move, clock):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True, quiet_hours_except=["out_for_delivery"])
    clock.now = LATE_EVENING

    move(shipment, "out_for_delivery")

    assert {state for state, _ in states(shipment, "out_for_delivery").values()} <= GONE


def test_quiet_hours_follow_the_shoppers_zone_not_ours(notifying_brand, move, clock):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True)
    parcel = ShipmentFactory(brand=notifying_brand, to_country="NL", recipient_phone="+31612345678")
    clock.now = datetime(2026, 1, 14, 19, 30, tzinfo=UTC)  # 20:30 in Amsterdam: before the window

    move(parcel, "in_transit")

    assert {state for state, _ in states(parcel, "in_transit").values()} <= GONE


def test_a_held_passing_status_the_parcel_left_overnight_gives_way_when_released(
    notifying_brand, shipment, move, clock
):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True)
    clock.now = LATE_EVENING
    move(shipment, "in_transit")
    clock.now = WINDOW_OPENS - timedelta(minutes=30)
    move(shipment, "out_for_delivery")  # excepted: sent at once, at 07:30

    clock.now = WINDOW_OPENS
    tasks.release_scheduled_messages()

    assert set(states(shipment, "in_transit").values()) == {(MessageState.SUPPRESSED, "superseded")}
    assert {state for state, _ in states(shipment, "out_for_delivery").values()} <= GONE


# --- the cap per shipment --------------------------------------------------------------------


def test_a_cap_never_drops_delivered_for_an_in_transit(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, max_messages_per_shipment=3)

    for status in ("ready_to_ship", "in_transit", "out_for_delivery", "delivered"):
        move(shipment, status)

    assert announced(shipment) == ["ready_to_ship", "in_transit", "delivered"]
    assert set(states(shipment, "out_for_delivery").values()) == {(MessageState.SUPPRESSED, "frequency_cap")}
    assert {state for state, _ in states(shipment, "delivered").values()} <= GONE


def test_the_cap_counts_status_entries_not_messages_per_channel(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, max_messages_per_shipment=2)

    move(shipment, "in_transit")  # three messages, one entry
    move(shipment, "out_for_delivery")

    assert announced(shipment) == ["in_transit"]
    assert len(Message.objects.filter(shipment=shipment, trigger_status="in_transit", state__in=GONE)) == 3


def test_suppressed_entries_do_not_count_towards_the_cap(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, max_messages_per_shipment=2)

    move(shipment, "in_transit", at=datetime.now(UTC) - timedelta(days=5))  # stale: suppressed
    move(shipment, "out_for_delivery")

    assert announced(shipment) == ["out_for_delivery"]


def test_without_a_cap_every_entry_is_announced(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand)

    for status in ("ready_to_ship", "in_transit", "out_for_delivery", "delivered"):
        move(shipment, status)

    assert announced(shipment) == ["ready_to_ship", "in_transit", "out_for_delivery", "delivered"]


# --- consolidation ---------------------------------------------------------------------------


def test_a_passing_status_waits_the_consolidation_window_and_gives_way_to_a_newer_one(
    notifying_brand, shipment, move, clock
):
    SendingPolicyFactory(brand=notifying_brand, consolidation_seconds=300)
    start = clock.now

    event = move(shipment, "in_transit")
    assert {(m.state, m.not_before) for m in Message.objects.filter(shipment=shipment)} == {
        (MessageState.SCHEDULED, event.occurred_at + timedelta(seconds=300))}
    clock.now = start + timedelta(seconds=60)
    move(shipment, "delivered")  # actionable: not delayed
    assert {state for state, _ in states(shipment, "delivered").values()} <= GONE

    clock.now = start + timedelta(seconds=301)
    tasks.release_scheduled_messages()

    assert set(states(shipment, "in_transit").values()) == {(MessageState.SUPPRESSED, "superseded")}


def test_a_consolidated_status_goes_when_the_parcel_is_still_in_it(notifying_brand, shipment, move, clock):
    SendingPolicyFactory(brand=notifying_brand, consolidation_seconds=300)
    start = clock.now
    move(shipment, "in_transit")

    clock.now = start + timedelta(seconds=301)
    assert tasks.release_scheduled_messages() == 3

    assert {state for state, _ in states(shipment, "in_transit").values()} <= GONE


def test_a_second_round_of_a_passing_status_supersedes_the_held_first_one(notifying_brand, shipment, move, clock):
    SendingPolicyFactory(brand=notifying_brand, consolidation_seconds=300)
    start = clock.now
    move(shipment, "out_for_delivery")
    clock.now = start + timedelta(seconds=10)
    move(shipment, "delivery_failed")
    clock.now = start + timedelta(seconds=20)
    move(shipment, "out_for_delivery")  # occurrence 2: the parcel left the first round

    clock.now = start + timedelta(seconds=400)
    tasks.release_scheduled_messages()

    rounds = {(m.occurrence, m.state, m.error_code)
              for m in Message.objects.filter(shipment=shipment, trigger_status="out_for_delivery")}
    assert {(o, s) for o, s, _ in rounds if s not in GONE} == {(1, MessageState.SUPPRESSED)}
    assert {o for o, s, _ in rounds if s in GONE} == {2}


# --- ready to ship ---------------------------------------------------------------------------


def test_first_scan_announces_nothing_at_label_creation(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, ready_to_ship="first_scan")

    move(shipment, "ready_to_ship")
    assert not Message.objects.filter(shipment=shipment).exists()
    move(shipment, "in_transit")

    assert announced(shipment) == ["in_transit"]


def test_label_created_announces_ready_to_ship_as_before(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, ready_to_ship="label_created")

    move(shipment, "ready_to_ship")

    assert {state for state, _ in states(shipment, "ready_to_ship").values()} <= GONE


# --- cost ------------------------------------------------------------------------------------


def test_planning_with_a_policy_costs_the_same_queries_for_2_or_20_parcels(notifying_brand):
    SendingPolicyFactory(brand=notifying_brand, quiet_hours_enabled=True, max_messages_per_shipment=4,
                         consolidation_seconds=60)

    def queries(count: int) -> int:
        parcels = ShipmentFactory.create_batch(count, brand=notifying_brand)
        Shipment.objects.filter(pk__in=[p.pk for p in parcels]).update(status="in_transit")
        with CaptureQueriesContext(connection) as captured:
            plan_messages([(p.pk, "in_transit") for p in parcels])
        assert Message.objects.filter(shipment__in=parcels).count() == 3 * count
        return len(captured)

    assert queries(2) == queries(10)  # (30 rows: one INSERT on PostgreSQL, and within SQLite's 999 parameters)


def test_a_held_status_that_gave_way_does_not_use_up_the_cap(notifying_brand, shipment, move, clock):
    SendingPolicyFactory(brand=notifying_brand, consolidation_seconds=300, max_messages_per_shipment=3)
    start = clock.now
    for offset, status in ((0, "ready_to_ship"), (100, "in_transit"), (200, "out_for_delivery")):
        clock.now = start + timedelta(seconds=offset)
        move(shipment, status)  # each one held, and superseded by the next at once

    clock.now = start + timedelta(seconds=600)
    tasks.release_scheduled_messages()

    assert announced(shipment) == ["out_for_delivery"]
    assert {state for state, _ in states(shipment, "out_for_delivery").values()} <= GONE
    assert {code for s in ("ready_to_ship", "in_transit") for _, code in states(shipment, s).values()} == {
        "superseded"}
