import datetime as dt

import pytest

from messaging.dispatch.receipts import apply_receipt
from messaging.models import MessageState, OptOut
from messaging.webhooks import StatusUpdate
from tests.factories.messaging import MessageFactory

pytestmark = pytest.mark.django_db
# Recent: receipts older than MAX_RECEIPT_AGE are stamped with our own clock instead.
T0 = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(second=0, microsecond=0)


def receipt(message, state, minutes=0, **extra):
    return StatusUpdate(provider_message_id=message.provider_message_id, state=state,
                        at=T0 + dt.timedelta(minutes=minutes), recipient=message.recipient, **extra)


@pytest.fixture
def sent():
    return MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.A1", sent_at=T0)


def test_receipts_move_a_message_forward(sent):
    assert apply_receipt(receipt(sent, "delivered", 1), channel="whatsapp")
    assert apply_receipt(receipt(sent, "read", 2), channel="whatsapp")

    sent.refresh_from_db()
    assert sent.state == MessageState.READ
    assert (sent.delivered_at, sent.read_at) == (T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=2))


def test_an_older_receipt_arriving_late_never_moves_a_message_back(sent):
    apply_receipt(receipt(sent, "read", 2), channel="whatsapp")

    assert not apply_receipt(receipt(sent, "delivered", 1), channel="whatsapp")
    assert not apply_receipt(receipt(sent, "sent", 0), channel="whatsapp")
    sent.refresh_from_db()
    assert sent.state == MessageState.READ and sent.delivered_at == T0 + dt.timedelta(minutes=2)


def test_a_duplicate_receipt_changes_nothing(sent):
    apply_receipt(receipt(sent, "delivered", 1), channel="whatsapp")
    assert not apply_receipt(receipt(sent, "delivered", 5), channel="whatsapp")

    sent.refresh_from_db()
    assert sent.delivered_at == T0 + dt.timedelta(minutes=1)


def test_a_failure_after_delivery_is_ignored(sent):
    apply_receipt(receipt(sent, "delivered", 1), channel="whatsapp")

    assert not apply_receipt(receipt(sent, "failed", 2, error_code="131026"), channel="whatsapp")


def test_a_failure_stores_the_providers_code(sent):
    apply_receipt(receipt(sent, "failed", 1, error_code="131026", error_title="Message undeliverable"),
                  channel="whatsapp")

    sent.refresh_from_db()
    assert (sent.state, sent.error_code, sent.error_message) == ("failed", "131026", "Message undeliverable")


def test_a_stopped_user_failure_opts_the_recipient_out(sent):
    apply_receipt(receipt(sent, "failed", 1, error_code="131050"), channel="whatsapp")

    assert OptOut.objects.filter(brand=sent.brand, recipient=sent.recipient).exists()


def test_our_own_id_echoed_back_finds_the_message_before_the_provider_id_is_stored():
    message = MessageFactory(channel="whatsapp", state=MessageState.QUEUED)
    update = StatusUpdate(provider_message_id="wamid.LATE", state="delivered", at=T0, recipient=message.recipient,
                          callback_data=str(message.pk))

    assert apply_receipt(update, channel="whatsapp")
    message.refresh_from_db()
    assert (message.state, message.provider_message_id) == ("delivered", "wamid.LATE")


def test_a_receipt_for_an_unknown_message_is_ignored(sent):
    update = StatusUpdate(provider_message_id="wamid.NOPE", state="read", at=T0, recipient="+31600000000")
    assert not apply_receipt(update, channel="whatsapp")
    sent.refresh_from_db()
    assert sent.state == MessageState.SENT
