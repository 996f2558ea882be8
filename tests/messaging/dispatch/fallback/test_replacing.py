"""Channel fallback (DESIGN "Send decisions" 8): a WhatsApp message that cannot reach the shopper
(refused or failed with 131026, or not delivered within `after_minutes`) is replaced by the next
channel of the brand's order, once, never billed, and one message reaches the shopper."""

import datetime as dt
from decimal import Decimal

import pytest

from billing.models import Charge
from billing.spend_models import SpendMonth
from messaging.dispatch import fallback
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from tests.factories.messaging import OptOutFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import (
    REACHED,
    meta_accepts,
    meta_refuses,
    of,
    policy,
    reaching,
    sweep,
    webhook,
)

pytestmark = pytest.mark.django_db

def test_a_whatsapp_message_refused_with_131026_is_replaced_by_an_sms_at_once(shipment, move, whatsapp_cloud):
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    whatsapp, sms = of(shipment, "whatsapp"), of(shipment, "sms")
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.EXPIRED, "131026")
    assert sms.fallback_of_id == whatsapp.pk and (sms.trigger_status, sms.occurrence) == ("delivered", 1)
    assert sms.state in REACHED and sms.recipient == "+31612345678"
    assert "delivered" in sms.body.lower() and sms.body != whatsapp.body  # the SMS copy, not WhatsApp's
    assert reaching(shipment) == [("delivered", 1, "sms")]
    assert not Charge.objects.exists()


def test_a_failed_webhook_with_131026_replaces_the_message_and_takes_its_charge_back(
    shipment, accepted, django_capture_on_commit_callbacks
):
    whatsapp = accepted(shipment, "delivered")
    assert Charge.objects.filter(message=whatsapp).exists()

    assert webhook(whatsapp, "failed", code="131026", run=django_capture_on_commit_callbacks)

    whatsapp.refresh_from_db()
    assert (whatsapp.state, whatsapp.error_code, whatsapp.price) == (MessageState.EXPIRED, "131026", None)
    assert of(shipment, "sms").fallback_of_id == whatsapp.pk
    assert reaching(shipment) == [("delivered", 1, "sms")]
    assert not Charge.objects.exists()
    assert SpendMonth.objects.get().amount == Decimal(0)  # the running total follows the charges


def test_the_same_failed_webhook_replayed_replaces_the_message_once(
    shipment, accepted, django_capture_on_commit_callbacks
):
    whatsapp = accepted(shipment, "delivered")

    assert webhook(whatsapp, "failed", code="131026", run=django_capture_on_commit_callbacks)
    assert not webhook(whatsapp, "failed", code="131026", run=django_capture_on_commit_callbacks)

    assert Message.objects.filter(shipment=shipment).count() == 2


def test_a_whatsapp_message_not_delivered_within_after_minutes_is_replaced(
    shipment, accepted, django_capture_on_commit_callbacks
):
    whatsapp = accepted(shipment, "out_for_delivery")
    assert whatsapp.state == MessageState.SENT and Charge.objects.count() == 1

    # the clock stopped 29 minutes after the acceptance: still waiting
    assert sweep(whatsapp.sent_at + dt.timedelta(minutes=29), django_capture_on_commit_callbacks) == 0
    assert of(shipment, "sms") is None
    # 31 minutes after it: replaced
    assert sweep(whatsapp.sent_at + dt.timedelta(minutes=31), django_capture_on_commit_callbacks) == 1

    whatsapp.refresh_from_db()
    assert whatsapp.state == MessageState.EXPIRED and whatsapp.error_message == "Not delivered within 30 minutes."
    assert of(shipment, "sms").fallback_of_id == whatsapp.pk
    assert reaching(shipment) == [("out_for_delivery", 1, "sms")]
    assert not Charge.objects.exists()


def test_a_late_delivered_receipt_for_an_expired_message_changes_nothing_and_bills_nothing(
    shipment, accepted, django_capture_on_commit_callbacks
):
    whatsapp = accepted(shipment, "out_for_delivery")
    sweep(whatsapp.sent_at + dt.timedelta(minutes=31), django_capture_on_commit_callbacks)

    for state in ("delivered", "read", "delivered"):  # late, and replayed
        assert not webhook(whatsapp, state, run=django_capture_on_commit_callbacks)

    whatsapp.refresh_from_db()
    assert (whatsapp.state, whatsapp.delivered_at, whatsapp.price) == (MessageState.EXPIRED, None, None)
    assert not Charge.objects.exists()
    assert SpendMonth.objects.get().amount == Decimal(0)


def test_never_both_channels_delivered(shipment, accepted, django_capture_on_commit_callbacks):
    whatsapp = accepted(shipment, "out_for_delivery")

    # delivered in time: the sweep leaves it, however late it runs
    webhook(whatsapp, "delivered", run=django_capture_on_commit_callbacks)
    for minutes in (31, 90, 600):
        assert sweep(whatsapp.sent_at + dt.timedelta(minutes=minutes), django_capture_on_commit_callbacks) == 0
    # and a failure reported after the delivery replaces nothing
    assert not webhook(whatsapp, "failed", code="131026", run=django_capture_on_commit_callbacks)

    assert list(Message.objects.filter(shipment=shipment).values_list("channel", "state")) == [
        ("whatsapp", MessageState.DELIVERED)]
    assert Charge.objects.filter(message=whatsapp).count() == 1


@pytest.mark.parametrize(("email", "expected"), [("sanne@example.com", "email"), ("", "sms")])
def test_the_next_channel_in_the_order_with_an_address_takes_over(brand, move, whatsapp_cloud, email, expected):
    policy(brand, order=("whatsapp", "email", "sms"))
    shipment = ShipmentFactory(brand=brand, recipient_phone="+31612345678", recipient_email=email)
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert reaching(shipment) == [("delivered", 1, expected)]
    assert of(shipment, expected).fallback_of_id == of(shipment, "whatsapp").pk


def test_an_order_without_whatsapp_falls_back_along_the_whole_order_as_at_the_spend_cap(
    brand, move, whatsapp_cloud
):
    # The spend cap's fallback reads ["email", "sms"] as "these, in this order" (fallback_channel);
    # a refused message goes the same way instead of nowhere.
    policy(brand, order=("email", "sms"))
    shipment = ShipmentFactory(brand=brand, recipient_phone="+31612345678", recipient_email="sanne@example.com")
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert reaching(shipment) == [("delivered", 1, "email")]
    assert of(shipment, "email").fallback_of_id == of(shipment, "whatsapp").pk


def test_an_undelivered_message_falls_back_along_an_order_without_whatsapp(
    brand, shipment, accepted, django_capture_on_commit_callbacks
):
    policy(brand, order=("sms", "email"))
    whatsapp = accepted(shipment, "out_for_delivery")

    assert sweep(whatsapp.sent_at + dt.timedelta(minutes=31), django_capture_on_commit_callbacks) == 1

    assert of(shipment, "sms").fallback_of_id == whatsapp.pk
    assert reaching(shipment) == [("out_for_delivery", 1, "sms")]


def test_fallback_ignores_the_channels_toggle_for_the_status(brand, shipment, move, whatsapp_cloud):
    # SMS is on in NL, but not for "delivered": planning alone sends no SMS for it
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {"delivered": False}})
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert reaching(shipment) == [("delivered", 1, "sms")]


def test_fallback_never_goes_to_an_opted_out_recipient(brand, shipment, move, whatsapp_cloud):
    policy(brand, order=("whatsapp", "email"))
    OptOutFactory(brand=brand, recipient="sanne@example.com")
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert list(Message.objects.filter(shipment=shipment).values_list("channel", "state", "error_code")) == [
        ("whatsapp", MessageState.FAILED, "131026")]


def test_an_opted_out_channel_is_passed_over_for_the_next(brand, shipment, move, whatsapp_cloud):
    policy(brand, order=("whatsapp", "email", "sms"))
    OptOutFactory(brand=brand, recipient="sanne@example.com")
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert reaching(shipment) == [("delivered", 1, "sms")]


def test_no_fallback_when_fallback_is_off(brand, shipment, move, whatsapp_cloud, django_capture_on_commit_callbacks):
    policy(brand, enabled=False)
    meta_refuses(whatsapp_cloud)
    move(shipment, "delivered")
    meta_accepts(whatsapp_cloud)
    move(shipment, "out_for_delivery")
    sent = Message.objects.get(shipment=shipment, trigger_status="out_for_delivery")

    assert sweep(sent.sent_at + dt.timedelta(hours=2), django_capture_on_commit_callbacks) == 0

    assert sorted(Message.objects.filter(shipment=shipment).values_list("channel", "trigger_status", "state")) == [
        ("whatsapp", "delivered", MessageState.FAILED), ("whatsapp", "out_for_delivery", MessageState.SENT)]


def test_a_failure_that_is_not_about_the_recipient_does_not_fall_back(shipment, move, whatsapp_cloud):
    meta_refuses(whatsapp_cloud, code=131008)  # a parameter missing: our request's fault

    move(shipment, "delivered")

    assert list(Message.objects.filter(shipment=shipment).values_list("channel", "state")) == [
        ("whatsapp", MessageState.FAILED)]


def test_no_second_message_when_that_channel_already_reaches_the_shopper(brand, shipment, move, whatsapp_cloud):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}})
    meta_refuses(whatsapp_cloud)

    move(shipment, "delivered")

    assert sorted(Message.objects.filter(shipment=shipment).values_list("channel", "state", "fallback_of")) == [
        ("sms", MessageState.DELIVERED, None), ("whatsapp", MessageState.FAILED, None)]  # sandbox receipts


def test_a_message_with_nowhere_to_fall_back_to_is_looked_at_once(
    brand, accepted, django_capture_on_commit_callbacks
):
    policy(brand, order=("whatsapp", "email"))
    shipment = ShipmentFactory(brand=brand, recipient_phone="+31612345678", recipient_email="")
    whatsapp = accepted(shipment, "out_for_delivery")
    later = whatsapp.sent_at + dt.timedelta(minutes=31)

    assert sweep(later, django_capture_on_commit_callbacks) == 0

    whatsapp.refresh_from_db()
    assert whatsapp.state == MessageState.SENT and whatsapp.claimed_until == later  # it may still arrive
    assert not Message.objects.filter(state=MessageState.SENT, claimed_until__isnull=True).exists()
    assert Charge.objects.filter(message=whatsapp).exists()


def test_two_sweeps_never_replace_a_message_twice(shipment, accepted, django_capture_on_commit_callbacks):
    later = accepted(shipment, "out_for_delivery").sent_at + dt.timedelta(minutes=45)

    assert [sweep(later, django_capture_on_commit_callbacks) for _ in range(2)] == [1, 0]

    assert Message.objects.filter(shipment=shipment, channel="sms").count() == 1


def test_a_message_sent_long_before_the_brand_switched_fallback_on_is_left_alone(
    brand, shipment, accepted, django_capture_on_commit_callbacks
):
    sent_at = accepted(shipment, "out_for_delivery").sent_at

    assert sweep(sent_at + dt.timedelta(minutes=30) + fallback.LOOK_WINDOW + dt.timedelta(minutes=1),
                 django_capture_on_commit_callbacks) == 0
    assert of(shipment, "sms") is None
