"""Status webhooks: recorded in one INSERT in the request, applied by the drain or the sweeper."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from messaging import tasks
from messaging.dispatch import receipts_bulk, status_intake
from messaging.dispatch.receipts import apply_receipt
from messaging.models import Message, MessagePricing, MessageState, StatusIntake
from messaging.webhooks import StatusUpdate
from tests.factories.messaging import MessageFactory
from tests.messaging.dispatch.test_webhook_views import envelope, signed_post, status_item
from tests.webhook_posts import twilio_post

pytestmark = pytest.mark.django_db
PRICING = {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular"}


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    yield
    cache.delete(status_intake.KICK_KEY)  # a drain announced by a test whose task was mocked away


def accepted(n=1, channel="whatsapp", **fields):
    return [
        MessageFactory(
            channel=channel,
            state=MessageState.SENT,
            provider="whatsapp_cloud" if channel == "whatsapp" else "twilio",
            provider_message_id=f"wamid.T{i}" if channel == "whatsapp" else f"SM{i:032d}",
            sent_at=timezone.now() - dt.timedelta(minutes=5),
            **fields,
        )
        for i in range(n)
    ]


def recent(seconds_ago):
    return str(int((timezone.now() - dt.timedelta(seconds=seconds_ago)).timestamp()))


def test_a_replayed_webhook_records_each_status_once(client):
    [message] = accepted()
    delivered = {**status_item(message, "delivered", recent(60)), "pricing": PRICING}
    payload = envelope([delivered, status_item(message, "read", recent(30))])

    assert signed_post(client, payload).status_code == 200
    assert signed_post(client, payload).status_code == 200

    assert StatusIntake.objects.count() == 2
    assert not StatusIntake.objects.filter(processed_at__isnull=True).exists()
    message.refresh_from_db()
    assert message.state == MessageState.READ
    assert message.delivered_at is not None and message.read_at is not None
    assert MessagePricing.objects.filter(message=message).count() == 1


def test_a_batch_of_100_statuses_in_one_post_is_recorded_once_each(client, django_assert_max_num_queries):
    messages = accepted(100)
    payload = envelope([{**status_item(m, "delivered", recent(60)), "pricing": PRICING} for m in messages])

    with mock.patch.object(tasks.drain_status_intake, "delay") as drain:
        assert signed_post(client, payload).status_code == 200
    assert drain.call_count == 1
    assert StatusIntake.objects.filter(processed_at__isnull=True).count() == 100
    # In bulk: a constant number (a batch of 8 statements, two empty looks, savepoints), not per status.
    with django_assert_max_num_queries(16):
        assert status_intake.intake_drain() == 100
    assert signed_post(client, payload).status_code == 200  # Meta's retry

    assert StatusIntake.objects.count() == 100
    assert Message.objects.filter(state=MessageState.DELIVERED, delivered_at__isnull=False).count() == 100
    assert MessagePricing.objects.count() == 100


def test_a_status_whose_drain_never_ran_is_applied_by_the_sweeper(client):
    [message] = accepted()
    with mock.patch.object(tasks.drain_status_intake, "delay"):  # the task is lost
        assert signed_post(client, envelope([status_item(message, "delivered", recent(60))])).status_code == 200
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    received = StatusIntake.objects.get().received_at

    assert status_intake.intake_sweep(now=received + dt.timedelta(seconds=5))["applied"] == 0
    assert status_intake.intake_sweep(now=received + status_intake.SWEEP_AFTER * 2)["applied"] == 1

    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert StatusIntake.objects.get().processed_at is not None


def test_a_broker_down_still_answers_200_and_the_sweeper_applies_later(client):
    [message] = accepted()
    with mock.patch.object(tasks.drain_status_intake, "delay", side_effect=ConnectionError("redis down")):
        assert signed_post(client, envelope([status_item(message, "delivered", recent(60))])).status_code == 200

    status_intake.intake_sweep(now=timezone.now() + status_intake.SWEEP_AFTER * 2)
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_applied_rows_are_deleted_after_the_retry_window(client):
    [message] = accepted()
    signed_post(client, envelope([status_item(message, "delivered", recent(60))]))
    received = StatusIntake.objects.get().received_at

    assert status_intake.intake_sweep(now=received + dt.timedelta(days=1))["purged"] == 0
    assert status_intake.intake_sweep(now=received + status_intake.KEEP + dt.timedelta(seconds=1))["purged"] == 1
    assert not StatusIntake.objects.exists()


def test_a_status_left_locked_by_a_dead_worker_is_pending_again(client):
    [message] = accepted()
    with mock.patch.object(tasks.drain_status_intake, "delay"):
        signed_post(client, envelope([status_item(message, "read", recent(30))]))
    # The worker dies mid-batch: its transaction rolls back, the row is pending again.
    with mock.patch.object(status_intake, "statuses_record", side_effect=SystemExit), pytest.raises(SystemExit):
        status_intake.intake_drain()
    assert StatusIntake.objects.filter(processed_at__isnull=True).count() == 1

    assert status_intake.intake_drain() == 1
    message.refresh_from_db()
    assert message.state == MessageState.READ


def test_a_failing_status_is_kept_with_its_error_and_the_rest_applied(client):
    first, second = accepted(2)
    real = receipts_bulk.apply_receipts

    def poisoned(updates, **kwargs):
        if any(u.provider_message_id == second.provider_message_id for u in updates):
            raise ValueError("poison")
        return real(updates, **kwargs)

    with mock.patch.object(tasks.drain_status_intake, "delay"):
        signed_post(client, envelope([status_item(m, "delivered", recent(60)) for m in (first, second)]))
    with mock.patch.object(status_intake, "apply_receipts", side_effect=poisoned):
        status_intake.intake_drain()

    first.refresh_from_db()
    assert first.state == MessageState.DELIVERED
    failing = StatusIntake.objects.get(processed_at__isnull=True)
    assert (failing.attempts, failing.last_error) == (1, "ValueError: poison")
    status_intake.intake_sweep(now=failing.received_at + status_intake.SWEEP_AFTER * 2)  # fixed now: applied
    second.refresh_from_db()
    assert second.state == MessageState.DELIVERED


def test_read_before_delivered_ends_read_with_both_times(client):
    [message] = accepted()
    payload = envelope([status_item(message, "read", recent(30)), status_item(message, "delivered", recent(60))])

    signed_post(client, payload)

    message.refresh_from_db()
    assert message.state == MessageState.READ
    assert message.delivered_at is not None and message.read_at is not None


def test_a_failure_in_a_batch_still_marks_the_message_failed(client):
    first, second = accepted(2)
    failed = {**status_item(second, "failed", recent(30)), "errors": [{"code": 131049, "title": "Not delivered"}]}

    signed_post(client, envelope([status_item(first, "delivered", recent(60)), failed]))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (MessageState.DELIVERED, MessageState.FAILED)
    assert second.error_code == "131049"


def test_twilio_callbacks_are_recorded_once_and_applied(client):
    [message] = accepted(channel="sms")
    params = {"MessageSid": message.provider_message_id, "MessageStatus": "delivered", "To": message.recipient}

    assert twilio_post(client, f"/webhooks/twilio/status/?m={message.pk}", params).status_code == 204
    assert twilio_post(client, f"/webhooks/twilio/status/?m={message.pk}", params).status_code == 204

    assert StatusIntake.objects.filter(channel="sms").count() == 1
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_bad_signatures_are_refused_and_record_nothing(client):
    [message] = accepted()
    [sms] = accepted(channel="sms")

    whatsapp = signed_post(client, envelope([status_item(message, "read", recent(30))]), secret="not-the-secret")
    twilio = twilio_post(
        client,
        f"/webhooks/twilio/status/?m={sms.pk}",
        {"MessageSid": sms.provider_message_id, "MessageStatus": "delivered"},
        token="wrong",
    )

    assert (whatsapp.status_code, twilio.status_code) == (403, 403)
    assert not StatusIntake.objects.exists()


SEQUENCES = [
    ("sent", ["delivered", "read"]),
    ("sent", ["read", "delivered"]),
    ("queued", ["sent", "delivered"]),
    ("queued", ["delivered", "sent", "read"]),
    ("failed", ["delivered"]),
    ("read", ["sent", "delivered"]),
    ("expired", ["delivered", "read"]),
    ("scheduled", ["sent"]),
]


@pytest.mark.parametrize(("start", "states"), SEQUENCES)
def test_bulk_receipts_end_where_one_by_one_receipts_end(start, states):
    messages = [
        MessageFactory(channel="whatsapp", state=start, provider="whatsapp_cloud", provider_message_id=f"wamid.S{n}")
        for n in range(2)
    ]
    base = timezone.now() - dt.timedelta(minutes=1)

    def updates(message):
        return [
            StatusUpdate(
                provider_message_id=message.provider_message_id,
                state=state,
                at=base + dt.timedelta(seconds=n),
                recipient="",
            )
            for n, state in enumerate(states)
        ]

    for update in updates(messages[0]):
        apply_receipt(update, channel="whatsapp", provider="whatsapp_cloud")
    receipts_bulk.apply_receipts(updates(messages[1]), channel="whatsapp", provider="whatsapp_cloud")

    one, bulk = (Message.objects.values("state", "sent_at", "delivered_at", "read_at").get(pk=m.pk) for m in messages)
    assert one == bulk
