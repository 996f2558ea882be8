"""WhatsApp status timestamps far in the future or the past (a provider's skewed clock, a
replayed payload): no crash, states still only move forward, and no time from the future or
the distant past is stored."""


import pytest
from django.utils import timezone

from messaging.models import MessageState
from tests.factories import MessageFactory
from tests.webhook_posts import whatsapp_post, whatsapp_statuses

pytestmark = [pytest.mark.chaos, pytest.mark.django_db]
SECRET = "app-secret"
# Parseable but far off: year 5138, 1969, 1970, 2001, 2100.
SKEWED = ["99999999999", "-1", "0", "1000000000", "4102444800"]
# Not a time at all, or past year 9999: the parser skips the status (and logs it).
UNREADABLE = ["253402300800", "1e30", "not-a-time", None, str(10**30)]


def post(client, statuses):
    return whatsapp_post(client, whatsapp_statuses(statuses), SECRET)


def item(message, state, ts):
    entry = {"id": message.provider_message_id, "status": state, "recipient_id": "31612345678"}
    if ts is not None:
        entry["timestamp"] = ts
    return entry


@pytest.mark.parametrize("ts", SKEWED)
def test_skewed_timestamps_neither_crash_nor_reorder_nor_store_odd_times(client, settings, ts):
    settings.WHATSAPP_APP_SECRET = SECRET
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.SKEW",
                             sent_at=timezone.now())
    before = timezone.now()

    # read arrives first, with a skewed clock; then an older-looking "delivered"
    assert post(client, [item(message, "read", ts)]).status_code == 200
    assert post(client, [item(message, "delivered", "1")]).status_code == 200
    after = timezone.now()

    message.refresh_from_db()
    assert message.state == MessageState.READ
    for moment in (message.read_at, message.delivered_at):
        assert moment is not None and before - timezone.timedelta(days=7) <= moment <= after


def test_a_future_timestamp_does_not_hold_back_a_real_later_receipt(client, settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.FUT",
                             sent_at=timezone.now())
    assert post(client, [item(message, "delivered", "99999999999")]).status_code == 200
    now_ts = str(int(timezone.now().timestamp()))
    assert post(client, [item(message, "read", now_ts)]).status_code == 200

    message.refresh_from_db()
    assert message.state == MessageState.READ and message.delivered_at <= message.read_at + timezone.timedelta(
        seconds=2)


@pytest.mark.parametrize("ts", UNREADABLE)
def test_unreadable_timestamps_are_skipped_without_an_error(client, settings, ts):
    settings.WHATSAPP_APP_SECRET = SECRET
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.BAD",
                             sent_at=timezone.now())

    assert post(client, [item(message, "read", ts)]).status_code == 200

    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.read_at is None
