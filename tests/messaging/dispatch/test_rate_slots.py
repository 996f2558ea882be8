"""WhatsApp messages over the number's rate are held back in slots: each slot's messages are
released together and come back in one send task, a slot's worth of tokens later."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from messaging import tasks
from messaging.dispatch import sending
from messaging.dispatch.recording import Outcome
from messaging.models import Message, MessageState
from tests.messaging.dispatch.test_sending_waves import RecordingProvider

pytestmark = pytest.mark.django_db


def test_messages_over_the_rate_come_back_in_slots_a_slot_apart(settings, queued_whatsapp):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 20  # slots of 20 x 0.25 s = 5 messages
    ids = sorted(m.pk for m in queued_whatsapp(12))
    provider = RecordingProvider([])
    now = timezone.now()

    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider), \
            mock.patch("messaging.dispatch.sending.throttle.take", return_value=(2, 3.0)):
        outcomes = sending.send_batch(ids, now=now)

    assert [outcomes[pk].state for pk in ids[:2]] == [MessageState.SENT] * 2
    assert [outcomes[pk].retry_in for pk in ids[2:]] == [3.0] * 5 + [3.25] * 5
    held = dict(Message.objects.filter(pk__in=ids[2:]).values_list("pk", "claimed_until"))
    assert {held[pk] for pk in ids[2:7]} == {now + timedelta(seconds=3.0)}
    assert {held[pk] for pk in ids[7:]} == {now + timedelta(seconds=3.25)}
    assert Message.objects.filter(pk__in=ids[2:], state=MessageState.QUEUED).count() == 10


def test_retries_due_at_the_same_moment_go_out_in_one_task_and_a_lone_one_in_its_own():
    outcomes = {
        1: Outcome(state=MessageState.QUEUED, retry_in=3.0, channel="whatsapp"),
        2: Outcome(state=MessageState.QUEUED, retry_in=3.0, channel="whatsapp"),
        3: Outcome(state=MessageState.QUEUED, retry_in=3.25, channel="whatsapp"),
        4: Outcome(state=MessageState.SENT, provider="whatsapp_cloud", channel="whatsapp"),
    }

    with mock.patch.object(tasks.send_messages, "apply_async") as batch, \
            mock.patch.object(tasks.send_message, "apply_async") as single:
        tasks.after_sends(outcomes)

    batch.assert_called_once_with(([1, 2],), countdown=3.5)
    single.assert_called_once_with((3,), countdown=3.75)


def test_sandbox_sends_get_their_simulated_receipts():
    with mock.patch.object(tasks.simulate_sandbox_receipt, "apply_async") as receipt:
        tasks.after_sends({7: Outcome(state=MessageState.SENT, provider="sandbox", channel="whatsapp")})

    assert [call.args[0] for call in receipt.call_args_list] == [(7, "delivered"), (7, "read")]
