"""A message that waits (consolidation, quiet hours, a retry) goes only if the merchant's switches
still allow it when it would go (DESIGN invariant 3): the channel, the destination country and the
status toggle are read again per batch. A fallback answers for the message it replaces, not for
its own channel's toggles."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging import tasks
from messaging.dispatch import sending, toggles
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from tests.factories.messaging import MessageFactory
from tests.factories.policies import SendingPolicyFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db

GONE = {MessageState.SENT, MessageState.DELIVERED, MessageState.READ}


def held_in_transit(notifying_brand, shipment, move):
    SendingPolicyFactory(brand=notifying_brand, consolidation_seconds=40)
    move(shipment, "in_transit")
    held = Message.objects.filter(shipment=shipment, trigger_status="in_transit")
    assert {m.state for m in held} == {MessageState.SCHEDULED}
    return held


def by_channel(messages) -> dict[str, tuple[str, str]]:
    return {m.channel: (m.state, m.error_code) for m in messages.all()}


@pytest.mark.parametrize(("channel", "switch"), [
    ("sms", {"enabled": False, "countries": {"NL": {}}}),  # the channel switched off
    ("email", {"enabled": True, "countries": {"NL": {"in_transit": False}}}),  # the status, for the country
    ("whatsapp", {"enabled": True, "countries": {"BE": {}}}),  # the destination country removed
], ids=["channel_off", "status_off_for_the_country", "country_removed"])
def test_a_held_message_is_suppressed_when_the_merchant_switches_it_off_before_it_goes(
    notifying_brand, shipment, move, clock, channel, switch
):
    # given an in_transit message on each channel, held by consolidation
    start = clock.now
    held = held_in_transit(notifying_brand, shipment, move)
    # when one is switched off, then the window ends
    channel_document_replace(brand=notifying_brand, channel=channel, **switch)
    clock.now = start + timedelta(seconds=60)
    tasks.release_scheduled_messages()
    # then that one is suppressed and the other channels go
    found = by_channel(held)
    assert found.pop(channel) == (MessageState.SUPPRESSED, toggles.REASON)
    assert {state for state, _ in found.values()} <= GONE


def test_a_status_toggled_off_for_another_brand_does_not_hold_back_this_one(
    notifying_brand, shipment, move, clock
):
    from tests.factories import BrandFactory

    other = BrandFactory(account=notifying_brand.account, name="Other", slug="other-brand")
    channel_document_replace(brand=other, channel="sms", enabled=False, countries={"NL": {}})
    start = clock.now
    held = held_in_transit(notifying_brand, shipment, move)
    clock.now = start + timedelta(seconds=60)
    assert tasks.release_scheduled_messages() == 3

    assert {state for state, _ in by_channel(held).values()} <= GONE


def test_a_queued_message_whose_channel_was_switched_off_before_its_retry_is_not_sent(notifying_brand, shipment):
    message = MessageFactory(shipment=shipment, channel="sms", trigger_status="delivered")
    channel_document_replace(brand=notifying_brand, channel="sms", enabled=False, countries={"NL": {}})

    outcomes = sending.send_batch([message.pk], now=timezone.now())

    message.refresh_from_db()
    assert outcomes[message.pk].state == MessageState.SUPPRESSED
    assert (message.state, message.error_code, message.sent_at) == (MessageState.SUPPRESSED, toggles.REASON, None)


# --- fallbacks: the merchant's choice ------------------------------------------------------------


def fallback_pair(brand, shipment):
    """An expired WhatsApp message of `delivered` and its queued SMS stand-in."""
    replaced = MessageFactory(shipment=shipment, channel="whatsapp", trigger_status="delivered",
                              state=MessageState.EXPIRED, whatsapp_template="pc_delivered_v3")
    return MessageFactory(shipment=shipment, channel="sms", trigger_status="delivered", fallback_of=replaced)


def test_a_fallback_goes_even_when_its_own_channel_is_switched_off(notifying_brand, shipment):
    stand_in = fallback_pair(notifying_brand, shipment)
    channel_document_replace(brand=notifying_brand, channel="sms", enabled=False, countries={})

    outcomes = sending.send_batch([stand_in.pk], now=timezone.now())

    assert outcomes[stand_in.pk].state == MessageState.SENT


def test_a_fallback_does_not_go_when_the_channel_it_stands_in_for_is_switched_off(notifying_brand, shipment):
    stand_in = fallback_pair(notifying_brand, shipment)
    channel_document_replace(brand=notifying_brand, channel="whatsapp", enabled=True,
                             countries={"NL": {"delivered": False}})

    outcomes = sending.send_batch([stand_in.pk], now=timezone.now())

    stand_in.refresh_from_db()
    assert outcomes[stand_in.pk].state == MessageState.SUPPRESSED
    assert stand_in.error_code == toggles.REASON


# --- cost --------------------------------------------------------------------------------------


def test_the_toggle_check_costs_the_same_queries_for_2_or_20_messages(notifying_brand):
    def toggle_queries(count: int) -> int:
        messages = []
        for n in range(count):
            shipment = ShipmentFactory(brand=notifying_brand, recipient_phone=f"+3161299{n:04d}")
            messages.append(MessageFactory(shipment=shipment, channel="sms", trigger_status="delivered"))
        rows = list(Message.objects.filter(pk__in=[m.pk for m in messages]).select_related("brand__account")
                    .annotate(shipment_country=F("shipment__to_country")))
        with CaptureQueriesContext(connection) as captured:
            assert toggles.switched_off(rows) == []
        return len(captured)

    assert toggle_queries(2) == toggle_queries(20) == 1
