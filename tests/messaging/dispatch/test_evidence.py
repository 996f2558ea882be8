"""Exactly once through lost answers: a status webhook carrying our id records an acceptance our
own record lacks, and an ambiguous attempt goes again only after the evidence window, when
nothing showed the provider took it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from billing.models import Charge
from messaging.dispatch import evidence, sending
from messaging.models import Message, MessageState
from messaging.providers.base import ProviderError, ProviderResult
from tests.factories.messaging import MessageFactory
from tests.webhook_posts import twilio_post, whatsapp_post, whatsapp_statuses

pytestmark = pytest.mark.django_db
APP_SECRET, TWILIO_TOKEN = "app-secret", "twilio-token"


@pytest.fixture(autouse=True)
def provider_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = "AC1", TWILIO_TOKEN, "+3197"
    settings.MESSAGE_SEND_LEASE_SECONDS, settings.MESSAGE_EVIDENCE_WINDOW_SECONDS = 300, 180


def whatsapp_status(client, message, state="sent", wamid="wamid.UNKNOWN1"):
    status = {"id": wamid, "status": state, "timestamp": str(int(timezone.now().timestamp())),
              "recipient_id": message.recipient.lstrip("+"), "biz_opaque_callback_data": str(message.pk)}
    return whatsapp_post(client, whatsapp_statuses([status]), APP_SECRET)


def twilio_status(client, message, status="queued", sid="SM0001"):
    path = sending.outbound(message).status_callback_url.removeprefix("https://parcelcast.test")
    return twilio_post(client, path, {"MessageSid": sid, "MessageStatus": status, "To": message.recipient},
                       TWILIO_TOKEN)


def claimed_by_a_worker_that_died(message):
    """The sender claimed the message and called the provider; its answer was never recorded."""
    now = timezone.now()
    assert sending.claim([message.pk], now=now) == [message.pk]
    return now


def test_a_whatsapp_status_with_our_id_records_the_acceptance_a_dead_worker_lost(client, queued_whatsapp):
    message = queued_whatsapp(1)[0]
    claimed_at = claimed_by_a_worker_that_died(message)

    assert whatsapp_status(client, message, "delivered").status_code == 200

    message.refresh_from_db()
    assert (message.state, message.provider, message.provider_message_id) == (
        MessageState.DELIVERED, "whatsapp_cloud", "wamid.UNKNOWN1")
    assert Charge.objects.filter(message=message).count() == 1
    # the lease runs out: nothing to send again, the provider has it
    provider = mock.Mock()
    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider):
        assert sending.send_message(message.pk, now=claimed_at + sending.lease() + timedelta(seconds=1)) is None
    provider.send.assert_not_called()


def test_a_twilio_callback_finds_our_message_by_the_id_in_its_url(client, queued):
    claimed_by_a_worker_that_died(queued)

    assert twilio_status(client, queued, "queued", sid="SM77").status_code == 204

    queued.refresh_from_db()
    assert (queued.state, queued.provider, queued.provider_message_id) == (MessageState.SENT, "twilio", "SM77")
    assert queued.claimed_until is None


def test_the_sms_status_callback_url_carries_our_message_id(queued):
    url = sending.outbound(queued).status_callback_url
    assert url == f"https://parcelcast.test/webhooks/twilio/status/?m={queued.pk}"


def test_an_acceptance_recorded_by_the_sender_is_not_recorded_again_by_its_webhook(client, queued_whatsapp):
    message = queued_whatsapp(1)[0]
    with mock.patch("messaging.dispatch.sending.get_provider") as get_provider:
        get_provider.return_value.send.return_value = ProviderResult("wamid.OURS", "whatsapp_cloud")
        sending.send_message(message.pk)

    whatsapp_status(client, message, "sent", wamid="wamid.OURS")
    whatsapp_status(client, message, "delivered", wamid="wamid.OURS")

    message.refresh_from_db()
    assert (message.state, message.provider_message_id) == (MessageState.DELIVERED, "wamid.OURS")
    assert Charge.objects.filter(message=message).count() == 1


def test_a_failure_report_is_not_taken_for_an_acceptance(client, queued_whatsapp):
    message = queued_whatsapp(1)[0]
    claimed_by_a_worker_that_died(message)

    whatsapp_status(client, message, "failed")

    message.refresh_from_db()
    assert (message.state, message.provider) == (MessageState.FAILED, "")
    assert not Charge.objects.exists()


def test_a_dead_senders_message_goes_again_only_after_the_lease_and_the_evidence_window(queued):
    claimed_at = claimed_by_a_worker_that_died(queued)

    assert sending.lease() == timedelta(seconds=300 + 180)
    assert sending.claim([queued.pk], now=claimed_at + timedelta(seconds=300 + 179)) == []
    assert sending.claim([queued.pk], now=claimed_at + timedelta(seconds=300 + 180)) == [queued.pk]


@pytest.mark.parametrize("ambiguous", [True, False])
def test_an_attempt_that_may_have_reached_the_provider_waits_the_evidence_window(queued, ambiguous):
    error = ProviderError("read timed out", code="timeout", kind="transient", ambiguous=ambiguous)
    with mock.patch("messaging.dispatch.sending.get_provider") as get_provider:
        get_provider.return_value.send.side_effect = error
        outcome = sending.send_message(queued.pk)

    assert outcome.state == MessageState.QUEUED
    assert (outcome.retry_in >= evidence.window_seconds()) is ambiguous


def test_a_webhook_during_the_evidence_window_stops_the_retry(client, queued):
    with mock.patch("messaging.dispatch.sending.get_provider") as get_provider:
        get_provider.return_value.send.side_effect = ProviderError("read timed out", code="timeout",
                                                                   kind="transient", ambiguous=True)
        outcome = sending.send_message(queued.pk)
        twilio_status(client, queued, "sent", sid="SM9")
        again = sending.send_message(queued.pk, now=timezone.now() + timedelta(seconds=outcome.retry_in + 1))

    assert again is None and get_provider.return_value.send.call_count == 1
    assert Message.objects.get(pk=queued.pk).state == MessageState.SENT


@pytest.fixture
def queued(shipment):
    shipment.status = "out_for_delivery"
    shipment.save(update_fields=["status"])
    return MessageFactory(shipment=shipment, channel="sms", trigger_status="out_for_delivery")
