"""A worker killed with SIGKILL in the middle of a send: the broker hands the task to another
worker after its visibility timeout (acks_late), and the message is sent once — the dead worker's
claim (lease) has expired by then, and while it was alive nobody else could send."""

from datetime import timedelta
from unittest import mock

import pytest

from messaging.dispatch import sending
from messaging.models import Message, MessageState
from tests.chaos.conftest import LEASE_SECONDS, VISIBILITY_SECONDS, enqueue, wait_for
from tests.factories import MessageFactory, ShipmentFactory
from tests.switches import switch_on

pytestmark = [pytest.mark.chaos, pytest.mark.postgres, pytest.mark.redis]


def queued_sms():
    shipment = ShipmentFactory(status="out_for_delivery", recipient_phone="+31612345678")
    switch_on(shipment.brand, "sms")
    return MessageFactory(shipment=shipment, channel="sms", trigger_status="out_for_delivery",
                          recipient="+31612345678", body="Out for delivery today.")


@pytest.mark.django_db(transaction=True)
def test_a_send_interrupted_by_sigkill_is_redelivered_and_sent_exactly_once(workers, throwaway_redis, fake_twilio):
    message = queued_sms()
    fake_twilio.hold_next = True
    first = workers.start()

    enqueue(throwaway_redis.url, "messaging.tasks.send_messages", [message.pk])
    assert wait_for(lambda: len(fake_twilio.requests) == 1, timeout=60), workers.logs()

    # while the first worker holds the claim (its lease is live), a duplicate sender gets nothing to do
    message.refresh_from_db()
    stub = mock.Mock()
    with mock.patch("messaging.dispatch.sending.get_provider", return_value=stub):
        assert sending.send_message(message.pk, now=message.claimed_until - timedelta(seconds=1)) is None
    stub.send.assert_not_called()

    workers.kill(first)
    fake_twilio.release.set()
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and message.attempts == 1 and message.claimed_until is not None

    workers.start()
    assert wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.SENT, timeout=90), \
        workers.logs()

    message.refresh_from_db()
    assert len(fake_twilio.requests) == 2, fake_twilio.requests  # the killed attempt and the redelivery
    assert fake_twilio.accepted == [message.provider_message_id]  # one acceptance, the one recorded
    assert message.attempts == 2
    assert Message.objects.filter(shipment=message.shipment).count() == 1
    # the redelivered send came after the visibility timeout, so after the dead worker's lease ran out
    first_try, second_try = (request["at"] for request in fake_twilio.requests)
    assert second_try - first_try >= LEASE_SECONDS
    assert VISIBILITY_SECONDS > LEASE_SECONDS
