"""The account's monthly WhatsApp spend cap at planning (DESIGN "Send decisions" rule 9): at the
cap the WhatsApp row is `spend_cap` and the entry goes by the brand's fallback order, or waits
for the next month, never silently lost."""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from messaging.dispatch import policy_apply
from messaging.dispatch.planning import plan_messages
from messaging.models import Message, MessageState
from messaging.policy import get_policy
from messaging.policy_rules.document import Fallback
from messaging.services.notifications import channel_document_replace
from tests.factories.billing import SpendCapFactory, SpendMonthFactory
from tests.factories.messaging import OptOutFactory
from tests.factories.policies import SendingPolicyFactory
from tests.factories.tracking import ShipmentFactory
from tracking.models import Shipment
from tracking.statuses import ALL_CODES

pytestmark = pytest.mark.django_db

GONE = {MessageState.SENT, MessageState.DELIVERED, MessageState.READ}


@pytest.fixture
def whatsapp_first(notifying_brand):
    """The brand announces on WhatsApp only; SMS and e-mail are there for the fallback."""
    for channel in ("sms", "email"):
        channel_document_replace(brand=notifying_brand, channel=channel, enabled=True,
                                 countries={"NL": {status: False for status in ALL_CODES}})
    SendingPolicyFactory(brand=notifying_brand, fallback_order=["whatsapp", "sms", "email"])
    return notifying_brand


def at_the_cap(account, on_cap="fallback", *, now=None):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap=on_cap)
    SpendMonthFactory(account=account, month=(now or timezone.now()).date().replace(day=1), amount=Decimal("50.00"))


def messages(shipment, status="in_transit") -> dict[str, Message]:
    return {m.channel: m for m in Message.objects.filter(shipment=shipment, trigger_status=status)}


def test_at_the_cap_whatsapp_is_suppressed_and_the_sms_fallback_sends_though_its_toggle_is_off(
    account, whatsapp_first, shipment, move
):
    at_the_cap(account)

    move(shipment, "in_transit")

    found = messages(shipment)
    assert set(found) == {"whatsapp", "sms"}
    assert (found["whatsapp"].state, found["whatsapp"].error_code) == (MessageState.SUPPRESSED, "spend_cap")
    assert found["sms"].fallback_of_id == found["whatsapp"].pk and found["sms"].state in GONE


def test_below_the_cap_whatsapp_is_sent_and_nothing_falls_back(account, whatsapp_first, shipment, move):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    SpendMonthFactory(account=account, amount=Decimal("49.00"))

    move(shipment, "in_transit")

    assert set(messages(shipment)) == {"whatsapp"} and messages(shipment)["whatsapp"].state in GONE


def test_the_fallback_skips_an_opted_out_address_for_the_next_channel(account, whatsapp_first, shipment, move):
    at_the_cap(account)
    whatsapp_first.sending_policy.fallback_order = ["whatsapp", "email", "sms"]
    whatsapp_first.sending_policy.save()
    OptOutFactory(brand=whatsapp_first, recipient=shipment.recipient_email)

    move(shipment, "in_transit")

    found = messages(shipment)
    assert set(found) == {"whatsapp", "sms"} and found["sms"].fallback_of_id == found["whatsapp"].pk


def test_no_fallback_when_another_channel_already_carries_the_entry(account, whatsapp_first, shipment, move):
    at_the_cap(account)
    channel_document_replace(brand=whatsapp_first, channel="email", enabled=True, countries={"NL": {}})

    move(shipment, "in_transit")  # WhatsApp and e-mail on; SMS (next in the order) only a fallback

    found = messages(shipment)
    assert set(found) == {"whatsapp", "email"}  # one message per entry reaches the shopper: no SMS on top
    assert (found["whatsapp"].state, found["whatsapp"].error_code) == (MessageState.SUPPRESSED, "spend_cap")
    assert found["email"].fallback_of_id is None and found["email"].state in GONE


def test_a_shopper_no_other_channel_reaches_keeps_a_visible_spend_cap_row(account, whatsapp_first, move):
    at_the_cap(account)
    parcel = ShipmentFactory(brand=whatsapp_first, recipient_email="")
    OptOutFactory(brand=whatsapp_first, recipient="sanne@example.com")
    whatsapp_first.sending_policy.fallback_order = ["whatsapp", "email"]
    whatsapp_first.sending_policy.save()

    move(parcel, "in_transit")

    assert {(c, m.state, m.error_code) for c, m in messages(parcel).items()} == {
        ("whatsapp", MessageState.SUPPRESSED, "spend_cap")}


def test_a_paused_account_holds_whatsapp_until_the_next_month(account, whatsapp_first, shipment, move, clock):
    clock.now = datetime(2026, 12, 30, 12, 0, tzinfo=UTC)
    at_the_cap(account, on_cap="pause", now=clock.now)

    move(shipment, "delivered")

    found = messages(shipment, "delivered")
    assert set(found) == {"whatsapp"}
    assert (found["whatsapp"].state, found["whatsapp"].error_code, found["whatsapp"].not_before) == (
        MessageState.SCHEDULED, "spend_cap", datetime(2027, 1, 1, tzinfo=UTC))


def test_replanning_an_entry_at_the_cap_adds_no_second_fallback(account, whatsapp_first, shipment):
    at_the_cap(account)
    Shipment.objects.filter(pk=shipment.pk).update(status="in_transit")

    plan_messages([(shipment.pk, "in_transit")])
    plan_messages([(shipment.pk, "in_transit")])

    assert sorted(Message.objects.filter(shipment=shipment).values_list("channel", flat=True)) == ["sms", "whatsapp"]


def test_a_batch_asks_billing_for_the_spend_decision_once(account, whatsapp_first):
    at_the_cap(account)
    parcels = ShipmentFactory.create_batch(5, brand=whatsapp_first)
    Shipment.objects.filter(pk__in=[p.pk for p in parcels]).update(status="in_transit")
    policy = get_policy()

    with mock.patch.object(policy, "whatsapp_spend_decision", wraps=policy.whatsapp_spend_decision) as decide:
        plan_messages([(p.pk, "in_transit") for p in parcels])

    assert decide.call_count == 1
    assert Message.objects.filter(channel="sms", fallback_of__isnull=False).count() == 5


def test_an_account_without_whatsapp_to_send_never_asks_for_a_spend_decision(account, notifying_brand, shipment):
    at_the_cap(account)
    Shipment.objects.filter(pk=shipment.pk).update(status="in_transit")
    channel_document_replace(brand=notifying_brand, channel="whatsapp", enabled=False, countries={"NL": {}})
    policy = get_policy()

    with mock.patch.object(policy, "whatsapp_spend_decision") as decide:
        plan_messages([(shipment.pk, "in_transit")])

    assert not decide.called


# --- the pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize("order, reachable, expected", [
    (("whatsapp", "sms", "email"), {"sms", "email"}, "sms"),
    (("whatsapp", "sms", "email"), {"email"}, "email"),
    (("whatsapp", "email", "sms"), {"sms", "email"}, "email"),
    (("sms", "whatsapp", "email"), {"sms"}, None),  # only channels after WhatsApp take over
    (("sms", "email"), {"email"}, "email"),  # WhatsApp not in the order: any of it
    (("whatsapp", "sms"), set(), None),
])
def test_the_fallback_is_the_next_reachable_channel_of_the_order(order, reachable, expected):
    fallback = Fallback(enabled=True, order=order)
    assert policy_apply.fallback_channel(fallback, "whatsapp", reachable=reachable) == expected


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 6, 18, 10, 0, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)),
    (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    (datetime(2026, 1, 31, 0, 0, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)),
])
def test_a_paused_message_waits_for_the_first_moment_of_the_next_month(now, expected):
    assert policy_apply.next_month(now) == expected
