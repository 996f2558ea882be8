"""Pacing schedules, never sleeps: WhatsApp messages over the number's rate become `scheduled` with
`not_before` in slots the real token bucket honours; e-mail and SMS of the batch go at once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from messaging import tasks, throttle
from messaging.dispatch import pacing, sending
from messaging.dispatch.recording import Outcome
from messaging.models import Message, MessageState
from messaging.throttle import LocalTokenBucket
from tests.factories.messaging import MessageFactory
from tests.messaging.dispatch.test_sending_waves import RecordingProvider
from tests.messaging.test_throttle import FakeClock

pytestmark = pytest.mark.django_db
KEY = throttle.whatsapp_key("sandbox")


@pytest.fixture
def bucket(settings):
    """The real in-process bucket on a clock the test moves."""
    settings.WHATSAPP_PHONE_NUMBER_ID = ""
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    with mock.patch("messaging.throttle._bucket", return_value=bucket):
        yield bucket, clock


def send(ids, now, provider=None):
    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider or RecordingProvider([])):
        return sending.send_batch(ids, now=now)


def test_messages_over_the_rate_are_scheduled_in_slots_the_bucket_honours(settings, bucket, queued_whatsapp):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 20  # slots of 20 x 0.25 s = 5 messages
    real_bucket, clock = bucket
    real_bucket.take(KEY, 20, 20, 15)  # 5 tokens left
    ids = sorted(m.pk for m in queued_whatsapp(12))
    now = timezone.now()

    outcomes = send(ids, now)

    assert [outcomes[pk].state for pk in ids[:5]] == [MessageState.SENT] * 5
    # the next token comes in 1/20 s, then one every 1/20 s: a slot is due with its last token
    assert [outcomes[pk].retry_in for pk in ids[5:]] == [0.25] * 5 + [0.35] * 2
    rows = {m.pk: m for m in Message.objects.filter(pk__in=ids[5:])}
    assert {rows[pk].state for pk in ids[5:]} == {MessageState.SCHEDULED}
    assert {rows[pk].not_before for pk in ids[5:10]} == {now + timedelta(seconds=0.25)}
    assert {rows[pk].not_before for pk in ids[10:]} == {now + timedelta(seconds=0.35)}
    assert {(rows[pk].claimed_until, rows[pk].attempts) for pk in ids[5:]} == {(None, 0)}  # pacing is not a try
    # each slot, asked for when due, gets all its tokens from the very bucket that scheduled it
    clock.now += 0.25
    assert real_bucket.take(KEY, 20, 20, 5) == (5, 0.0)
    clock.now += 0.10
    assert real_bucket.take(KEY, 20, 20, 2)[0] == 2


def test_no_worker_sleeps_for_a_token_that_is_not_due_within_milliseconds(settings, bucket, queued_whatsapp):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 5
    ids = [m.pk for m in queued_whatsapp(20)]

    with mock.patch("messaging.dispatch.pacing.time") as pacing_time:
        outcomes = send(ids, timezone.now())

    pacing_time.sleep.assert_not_called()
    assert sum(o.state == MessageState.SENT for o in outcomes.values()) == 5
    assert sum(o.state == MessageState.SCHEDULED for o in outcomes.values()) == 15


def test_a_token_due_within_a_few_milliseconds_is_waited_for_once(settings, bucket, queued_whatsapp):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 1000
    real_bucket, clock = bucket
    real_bucket.take(KEY, 1000, 1000, 1000)
    ids = [m.pk for m in queued_whatsapp(3)]

    def sleep(seconds):
        clock.now += seconds

    with mock.patch("messaging.dispatch.pacing.time") as pacing_time:
        pacing_time.sleep.side_effect = sleep
        outcomes = send(ids, timezone.now())

    assert pacing_time.sleep.call_count == 1 and pacing_time.sleep.call_args.args[0] == pytest.approx(0.001)
    assert [o.state for o in outcomes.values()].count(MessageState.SENT) == 1  # one token came, once
    assert [o.state for o in outcomes.values()].count(MessageState.SCHEDULED) == 2


def test_email_and_sms_of_the_batch_go_at_once_while_whatsapp_waits_for_its_rate(settings, bucket, queued_whatsapp):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 5
    whatsapp = queued_whatsapp(10)
    others = [MessageFactory(shipment=m.shipment, brand=m.brand, channel=channel, trigger_status="out_for_delivery",
                             recipient="shopper@example.com" if channel == "email" else m.recipient)
              for m in whatsapp for channel in ("email", "sms")]

    outcomes = send([m.pk for m in whatsapp + others], timezone.now())

    assert {outcomes[m.pk].state for m in others} == {MessageState.SENT}
    assert [outcomes[m.pk].state for m in whatsapp].count(MessageState.SENT) == 5
    assert max(o.retry_in for o in outcomes.values() if o.state == MessageState.SCHEDULED) == pytest.approx(1.0)


def test_a_scheduled_message_is_claimed_only_once_due(queued_whatsapp):
    message = queued_whatsapp(1)[0]
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(state=MessageState.SCHEDULED, not_before=now + timedelta(seconds=5))

    assert sending.claim([message.pk], now=now) == []
    assert sending.claim([message.pk], now=now + timedelta(seconds=5)) == [message.pk]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 1)
    assert sending.claim([message.pk], now=now + timedelta(seconds=6)) == []  # held by the first claim


def test_a_due_scheduled_message_is_sent(bucket, queued_whatsapp):
    message = queued_whatsapp(1)[0]
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(state=MessageState.SCHEDULED, not_before=now)

    outcome = send([message.pk], now)

    message.refresh_from_db()
    assert outcome[message.pk].state == message.state == MessageState.SENT
    assert message.not_before == now  # kept: when it was held until


def test_the_release_task_sends_only_the_due_scheduled_messages(queued_whatsapp):
    due, later, _queued = queued_whatsapp(3)
    now = timezone.now()
    Message.objects.filter(pk=due.pk).update(state=MessageState.SCHEDULED, not_before=now - timedelta(seconds=1))
    Message.objects.filter(pk=later.pk).update(state=MessageState.SCHEDULED, not_before=now + timedelta(minutes=5))

    with mock.patch.object(tasks.send_messages, "delay") as send_messages:
        assert tasks.release_scheduled_messages() == 1

    send_messages.assert_called_once_with([due.pk])


def test_the_release_of_scheduled_messages_runs_on_beat():
    from config.beat import BEAT_SCHEDULE

    assert any(entry["task"] == "messaging.tasks.release_scheduled_messages" for entry in BEAT_SCHEDULE.values())


def test_slots_hold_a_quarter_second_of_tokens_each_due_with_its_last_token():
    held = list(range(7))

    assert pacing.slots(held, wait=0.5, rate=8) == [(0.5 + 1 / 8, [0, 1]), (0.5 + 3 / 8, [2, 3]),
                                                    (0.5 + 5 / 8, [4, 5]), (0.5 + 6 / 8, [6])]


def test_retries_due_at_the_same_moment_go_out_in_one_task_and_a_lone_one_in_its_own():
    outcomes = {
        1: Outcome(state=MessageState.SCHEDULED, retry_in=3.0, channel="whatsapp"),
        2: Outcome(state=MessageState.SCHEDULED, retry_in=3.0, channel="whatsapp"),
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
