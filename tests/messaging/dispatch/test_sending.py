from decimal import Decimal
from unittest import mock

import pytest
import responses
from django.utils import timezone

from billing.models import Charge, PriceRule
from brands.services import account_change_plan
from messaging.dispatch import sending
from messaging.models import Message, MessageState, OptOut
from messaging.providers.base import ProviderError, ProviderResult
from tests.factories.messaging import MessageFactory, OptOutFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(shipment):
    """A queued SMS about the shipment's current status (planned, not yet sent)."""
    shipment.status = "out_for_delivery"
    shipment.save(update_fields=["status"])
    return MessageFactory(shipment=shipment, channel="sms", trigger_status="out_for_delivery")


def fake_provider(*effects):
    provider = mock.Mock()
    provider.send.side_effect = list(effects)
    return mock.patch("messaging.dispatch.sending.get_provider", return_value=provider), provider


def test_a_sent_whatsapp_message_is_charged_once_at_the_plan_price(shipment, move):
    move(shipment, "out_for_delivery")

    whatsapp = Message.objects.get(shipment=shipment, channel="whatsapp")
    charge = Charge.objects.get(message=whatsapp)
    assert charge.unit_price == Decimal("0.14") and charge.currency == "EUR"  # growth
    assert whatsapp.price == Decimal("0.14")
    assert Charge.objects.count() == 1  # e-mail and SMS are not billed per message


def test_the_charge_keeps_the_price_of_the_moment_it_was_accepted(account, shipment, move):
    move(shipment, "in_transit")
    account_change_plan(account=account, plan="premium")
    move(shipment, "delivered")

    prices = dict(Charge.objects.values_list("message__trigger_status", "unit_price"))
    assert prices == {"in_transit": Decimal("0.14"), "delivered": Decimal("0.12")}


def test_a_company_country_price_applies_to_that_country(account, shipment, move):
    rule = PriceRule.objects.filter(plan__code="growth").first()
    PriceRule.objects.create(plan=rule.plan, company_country="NL", valid_from=rule.valid_from,
                             unit_price=Decimal("0.1100"), currency="EUR")

    move(shipment, "delivered")

    assert Charge.objects.get().unit_price == Decimal("0.11")


def test_a_message_is_sent_only_once_however_often_its_task_runs(queued):
    patcher, provider = fake_provider(ProviderResult("SM1", "twilio", {}), ProviderResult("SM2", "twilio", {}))
    with patcher:
        first = sending.send_message(queued.pk)
        again = sending.send_message(queued.pk)

    assert first.state == MessageState.SENT and again is None
    assert provider.send.call_count == 1
    queued.refresh_from_db()
    assert queued.provider_message_id == "SM1"


def test_a_claimed_message_is_not_sent_by_a_second_worker(queued):
    now = timezone.now()
    assert sending.claim([queued.pk], now=now) == [queued.pk]
    assert sending.claim([queued.pk], now=now) == []


def test_a_transient_error_keeps_the_message_queued_and_asks_for_a_retry(queued):
    patcher, _ = fake_provider(ProviderError("rate limited", code="20429", kind="transient", retry_after=30))
    with patcher:
        outcome = sending.send_message(queued.pk)

    queued.refresh_from_db()
    assert queued.state == MessageState.QUEUED and outcome.retry_in >= 30
    assert queued.claimed_until > timezone.now()


def test_the_retry_backoff_grows_and_stays_bounded():
    delays = [max(sending.backoff(attempt) for _ in range(50)) for attempt in (1, 2, 3, 4, 12)]
    assert delays[0] <= 5 < delays[2] and delays[3] <= 40 and delays[4] <= sending.BACKOFF_MAX_SECONDS


def test_transient_errors_give_up_after_the_last_attempt(queued):
    Message.objects.filter(pk=queued.pk).update(attempts=sending.MAX_ATTEMPTS)
    patcher, _ = fake_provider(ProviderError("timeout", code="timeout", kind="transient"))
    with patcher:
        sending.send_message(queued.pk)

    queued.refresh_from_db()
    assert (queued.state, queued.error_code) == (MessageState.FAILED, "timeout")


def test_a_permanent_error_fails_the_message_with_the_providers_code(queued):
    patcher, _ = fake_provider(ProviderError("invalid number", code="21211", kind="permanent"))
    with patcher:
        sending.send_message(queued.pk)

    queued.refresh_from_db()
    assert (queued.state, queued.error_code, queued.error_message) == (MessageState.FAILED, "21211", "invalid number")


def test_an_opt_out_code_opts_the_recipient_out(queued):
    patcher, _ = fake_provider(ProviderError("recipient sent STOP", code="21610", kind="opt_out"))
    with patcher:
        sending.send_message(queued.pk)

    assert OptOut.objects.filter(brand=queued.brand, recipient=queued.recipient, source="provider").exists()
    queued.refresh_from_db()
    assert queued.state == MessageState.FAILED


def test_a_message_whose_parcel_moved_on_is_not_sent(queued):
    queued.shipment.status = "delivered"
    queued.shipment.save(update_fields=["status"])
    patcher, provider = fake_provider()
    with patcher:
        outcome = sending.send_message(queued.pk)

    assert outcome.state == MessageState.SUPPRESSED and not provider.send.called


def test_a_recipient_who_opted_out_after_planning_is_not_sent(queued):
    OptOutFactory(brand=queued.brand, recipient=queued.recipient)
    patcher, provider = fake_provider()
    with patcher:
        sending.send_message(queued.pk)

    queued.refresh_from_db()
    assert queued.state == MessageState.SUPPRESSED and not provider.send.called


@responses.activate(assert_all_requests_are_fired=True)
def test_whatsapp_goes_out_as_a_template_message_correlated_by_our_id(settings, shipment, move):
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "token", "1234567890"
    call = responses.post(
        "https://graph.facebook.com/v23.0/1234567890/messages",
        json={"messaging_product": "whatsapp", "contacts": [{"input": "31612345678", "wa_id": "31612345678"}],
              "messages": [{"id": "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI"}]},
    )

    move(shipment, "out_for_delivery")

    message = Message.objects.get(shipment=shipment, channel="whatsapp")
    sent = call.calls[0].request
    import json

    payload = json.loads(sent.body)
    assert payload["type"] == "template" and payload["to"] == "31612345678"
    assert payload["biz_opaque_callback_data"] == str(message.pk)
    assert payload["template"]["name"] == message.whatsapp_template
    assert sent.headers["Authorization"] == "Bearer token"
    assert message.provider_message_id == "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI"
    assert Charge.objects.filter(message=message).count() == 1
