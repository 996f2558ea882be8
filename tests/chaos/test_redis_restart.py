"""Redis restarts while tasks wait in it: the queued tasks survive (append-only file) and are
run once a worker connects; a running worker reconnects by itself; a task that was lost anyway is
recovered by the outbox sweeper from the database. Every message is sent once."""

import datetime as dt

import pytest
from django.utils import timezone

from messaging.models import Message, MessageState
from tests.chaos.conftest import enqueue, wait_for
from tests.factories import MessageFactory, ShipmentFactory
from tests.switches import switch_on

pytestmark = [pytest.mark.chaos, pytest.mark.postgres, pytest.mark.redis]


def queued_sms(n: int):
    shipment = ShipmentFactory(status="out_for_delivery", recipient_phone=f"+3161234{n:04d}")
    switch_on(shipment.brand, "sms")
    return MessageFactory(shipment=shipment, channel="sms", trigger_status="out_for_delivery",
                          recipient=shipment.recipient_phone, body="Out for delivery today.")


def all_sent(messages) -> bool:
    return Message.objects.filter(pk__in=[m.pk for m in messages], state=MessageState.SENT).count() == len(messages)


@pytest.mark.django_db(transaction=True)
def test_queued_tasks_survive_a_redis_restart_and_the_worker_reconnects(workers, throwaway_redis, fake_twilio):
    # given tasks waiting in Redis, and no worker yet
    waiting = [queued_sms(n) for n in range(3)]
    for message in waiting:
        enqueue(throwaway_redis.url, "messaging.tasks.send_messages", [message.pk])

    # when Redis restarts
    throwaway_redis.stop()
    throwaway_redis.start()

    # then a worker finds and sends them
    workers.start()
    assert wait_for(lambda: all_sent(waiting), timeout=90), workers.logs()

    # and a running worker survives another restart and takes new work afterwards
    throwaway_redis.stop()
    throwaway_redis.start()
    later = queued_sms(10)
    enqueue(throwaway_redis.url, "messaging.tasks.send_messages", [later.pk])
    assert wait_for(lambda: all_sent([later]), timeout=90), workers.logs()

    # a message whose task was lost for good (never enqueued) is found by the sweeper
    lost = queued_sms(20)
    Message.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    enqueue(throwaway_redis.url, "messaging.tasks.requeue_stuck_messages")
    assert wait_for(lambda: all_sent([lost]), timeout=90), workers.logs()

    assert len(fake_twilio.accepted) == 5 == len(fake_twilio.requests)
