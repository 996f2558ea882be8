"""Cash on delivery: the question at ready to ship, YES / NO as shopper requests answered in the
shopper's language, and one reminder after 24 hours without an answer, never a second."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from messaging.conversations.asks import asks_run_due
from messaging.conversations.money import format_money
from messaging.default_copy import en, nl
from messaging.models import AskKind, AskStep, Message, ShopperAsk, ShopperRequest
from tests.factories import ShipmentFactory
from tests.factories.shopper_requests import ShopperAskFactory
from tests.messaging.conversations.ask_fixtures import (  # noqa: F401 - fixtures
    SHOPPER,
    move,
    notifying_brand,
    reply,
    sent,
)
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod_shipment(notifying_brand):
    return ShipmentFactory(brand=notifying_brand, recipient_phone=SHOPPER, order_number="A-1",
                           cash_on_delivery_amount=Decimal("24.95"), language="nl")


def test_amounts_read_the_way_each_language_writes_them():
    assert format_money(Decimal("1234.5"), "EUR", "en") == "€1,234.50"
    assert format_money(Decimal("24.95"), "EUR", "nl") == "€ 24,95"
    assert format_money(Decimal("24.95"), "EUR", "de") == "24,95 €"
    assert format_money(Decimal("24.95"), "CHF", "fr") == "24,95 CHF"


def test_the_ready_to_ship_sms_asks_to_confirm_the_amount_and_a_question_is_opened(cod_shipment, move):
    move(cod_shipment, Status.READY_TO_SHIP)

    sms = Message.objects.get(shipment=cod_shipment, channel="sms", trigger_status=Status.READY_TO_SHIP)
    assert sms.body.endswith(nl.ASKS["cod_question"].format(brand="Acme", order="A-1", amount="€ 24,95"))
    email = Message.objects.get(shipment=cod_shipment, channel="email", trigger_status=Status.READY_TO_SHIP)
    assert "24,95" not in email.body  # e-mail replies are not read: no question there
    ask = ShopperAsk.objects.get(shipment=cod_shipment)
    assert (ask.kind, ask.step, ask.recipient) == (AskKind.COD, AskStep.ASK, SHOPPER)


def test_a_prepaid_shipment_is_asked_nothing(notifying_brand, move):
    prepaid = ShipmentFactory(brand=notifying_brand, recipient_phone=SHOPPER)

    move(prepaid, Status.READY_TO_SHIP)

    assert "YES" not in Message.objects.get(shipment=prepaid, channel="sms").body
    assert not ShopperAsk.objects.exists()


def test_yes_becomes_a_cod_confirmed_request_answered_in_dutch(cod_shipment, move, sent):
    move(cod_shipment, Status.READY_TO_SHIP)
    asks_run_due()

    record = reply("Ja")

    request = ShopperRequest.objects.get()
    assert (request.kind, request.shipment, request.details["amount"]) == ("cod_confirmed", cod_shipment, "24.95")
    assert record.action == "cod_confirmed"
    assert record.reply == nl.ASKS["cod_confirmed"].format(brand="Acme", order="A-1", amount="€ 24,95")


def test_no_becomes_a_cod_declined_request_and_a_second_answer_is_not_taken(cod_shipment, move, sent):
    move(cod_shipment, Status.READY_TO_SHIP)
    asks_run_due()

    record = reply("NEE")
    again = reply("JA")

    assert list(ShopperRequest.objects.values_list("kind", flat=True)) == ["cod_declined"]
    assert record.reply.startswith("Acme: bedankt, we hebben Acme laten weten")
    assert again.action == "yes"  # nothing pending any more: the menu
    assert again.reply == nl.REPLIES["menu"].format(brand="Acme")


def test_the_question_goes_on_whatsapp_when_the_shoppers_window_is_open(cod_shipment, move, sent):
    move(cod_shipment, Status.READY_TO_SHIP)
    reply("hallo")  # the shopper wrote: the 24-hour window is open

    asks_run_due()

    assert sent == [("whatsapp", SHOPPER, nl.ASKS["cod_question"].format(brand="Acme", order="A-1",
                                                                         amount="€ 24,95"))]


def test_no_answer_in_24_hours_gets_one_reminder_and_never_a_second(sent):
    ask = ShopperAskFactory(shipment__language="en", shipment__order_number="B-2")
    now = timezone.now()

    asks_run_due(now=now + timedelta(hours=23))
    assert sent == []

    asks_run_due(now=now + timedelta(hours=25))
    asks_run_due(now=now + timedelta(hours=49))
    asks_run_due(now=now + timedelta(days=30))

    reminder = en.ASKS["cod_reminder"].format(brand=ask.brand.name, order="B-2", amount="€24.95")
    assert sent == [("sms", ask.recipient, reminder)]  # no window open: by SMS
    ask.refresh_from_db()
    assert ask.reminded_at is not None and ask.due_at is None and ask.step == AskStep.WAIT


def test_an_answered_question_gets_no_reminder(cod_shipment, move, sent):
    move(cod_shipment, Status.READY_TO_SHIP)
    asks_run_due()
    reply("JA")

    asks_run_due(now=timezone.now() + timedelta(hours=25))

    assert sent == []


def test_the_api_takes_a_cash_on_delivery_amount_and_refuses_zero(api, brand):
    base = {"brand": brand.pk, "carrier": "sandbox", "to_country": "NL"}

    refused = api.post("/api/v1/shipments/", {**base, "tracking_number": "PC1", "cash_on_delivery_amount": "0.00"},
                       format="json")
    created = api.post("/api/v1/shipments/", {**base, "tracking_number": "PC2", "cash_on_delivery_amount": "24.95"},
                       format="json")

    assert refused.status_code == 400 and list(refused.json()) == ["cash_on_delivery_amount"]
    assert created.status_code == 201, created.json()
    assert (created.json()["cash_on_delivery_amount"], created.json()["cash_on_delivery_currency"]) == ("24.95", "EUR")
