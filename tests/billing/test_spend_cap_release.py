"""Raising the spend cap above the month's spend, or removing it, releases the WhatsApp messages
a pausing cap held (API.md: "held until the cap is raised or the month ends"): they become due
now for `release_scheduled_messages`, as many as the new room pays for; another account's and
other holds are left alone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.spend import spend_cap_set
from messaging.models import Message, MessageState
from tests.factories import BrandFactory
from tests.factories.billing import SpendCapFactory, SpendMonthFactory
from tests.factories.messaging import MessageFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)  # the frozen clock of these tests
NEXT_MONTH = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _plans(plans):
    return plans


def paused_at_the_cap(account, *, spent="50.00"):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="pause")
    SpendMonthFactory(account=account, month=NOW.date().replace(day=1), amount=Decimal(spent))


def held(account, count=1, *, reason="spend_cap", channel="whatsapp") -> list[Message]:
    brand = BrandFactory(account=account)
    return [
        MessageFactory(shipment=ShipmentFactory(brand=brand), channel=channel, state=MessageState.SCHEDULED,
                       error_code=reason, not_before=NEXT_MONTH + dt.timedelta(minutes=index))
        for index in range(count)
    ]


def due(messages) -> list[bool]:
    return [Message.objects.get(pk=m.pk).not_before <= NOW for m in messages]


def test_raising_the_cap_above_the_spend_makes_the_held_messages_due_now(account):
    paused_at_the_cap(account)
    messages = held(account, 2)

    spend_cap_set(account=account, monthly_cap=Decimal("100.00"), on_cap="pause", at=NOW)

    rows = Message.objects.filter(pk__in=[m.pk for m in messages])
    assert {(m.state, m.not_before, m.error_code) for m in rows} == {(MessageState.SCHEDULED, NOW, "")}


def test_removing_the_cap_releases_every_held_message(account):
    paused_at_the_cap(account, spent="900.00")
    messages = held(account, 3)

    spend_cap_set(account=account, monthly_cap=None, on_cap="pause", at=NOW)

    assert due(messages) == [True, True, True]


def test_a_raise_still_below_the_spend_keeps_them_held(account):
    paused_at_the_cap(account, spent="70.00")
    messages = held(account)

    spend_cap_set(account=account, monthly_cap=Decimal("60.00"), on_cap="pause", at=NOW)

    assert due(messages) == [False]
    assert Message.objects.get(pk=messages[0].pk).error_code == "spend_cap"


def test_a_raise_releases_only_as_many_as_its_room_pays_for_the_oldest_first(account):
    paused_at_the_cap(account)  # growth: EUR 0.14 a message
    messages = held(account, 4)

    spend_cap_set(account=account, monthly_cap=Decimal("50.20"), on_cap="pause", at=NOW)

    assert due(messages) == [True, True, False, False]  # 0.20 of room: the second message reaches the cap


def test_switching_to_fallback_at_the_cap_keeps_them_held(account):
    # Sending does not ask the cap again: released, they would go by WhatsApp past the cap.
    paused_at_the_cap(account)
    messages = held(account)

    spend_cap_set(account=account, monthly_cap=Decimal("50.00"), on_cap="fallback", at=NOW)

    assert due(messages) == [False]


def test_another_accounts_held_messages_and_other_holds_are_untouched(account, outsider):
    paused_at_the_cap(account)
    paused_at_the_cap(outsider)
    theirs = held(outsider)
    quiet = held(account, reason="")  # held by quiet hours, not by the cap

    spend_cap_set(account=account, monthly_cap=None, at=NOW)

    assert due(theirs + quiet) == [False, False]


def test_a_put_through_the_api_releases_them_for_the_beat_task(api, account):
    from django.utils import timezone

    from messaging.tasks import due_messages

    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="pause")
    SpendMonthFactory(account=account, month=timezone.now().date().replace(day=1), amount=Decimal("50.00"))
    messages = held(account)

    assert api.put(reverse("api:spend-cap"), {"monthly_cap": "80.00", "on_cap": "pause"}, format="json").status_code == 200

    assert list(due_messages(timezone.now()).values_list("pk", flat=True)) == [messages[0].pk]
