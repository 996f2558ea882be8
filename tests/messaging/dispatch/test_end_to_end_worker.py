"""One sandbox shipment through its whole journey, with every task going through the real
broker (Redis in CI) to a real Celery worker and PostgreSQL: exactly the expected messages,
states and charges."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from billing.models import Charge
from config.celery import app
from messaging.dispatch import receipts
from messaging.models import Message, MessageState
from tests.conftest import redis_url_or_skip, require_postgres, wait_for
from tests.factories.tracking import ShipmentFactory
from tracking import polling
from tracking.carriers.sandbox import scenario_for
from tracking.carriers.registry import get_adapter

FAST_RECEIPTS = {
    "whatsapp": (("delivered", 0.1), ("read", 0.2)),
    "sms": (("delivered", 0.1),),
    "email": (("delivered", 0.1),),
}


@pytest.fixture
def real_worker():
    require_postgres()
    broker = redis_url_or_skip()
    app.conf.update(task_always_eager=False, broker_url=broker)
    try:
        with mock.patch.object(receipts, "SANDBOX_RECEIPTS", FAST_RECEIPTS), \
                start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            yield
    finally:
        app.conf.update(task_always_eager=True)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sandbox_journey_sends_exactly_the_expected_messages_through_a_real_worker(notifying_brand, real_worker):
    parcel = ShipmentFactory(brand=notifying_brand, carrier="sandbox", tracking_number="E2E-HAPPY-0001",
                             next_poll_at=timezone.now())
    adapter = get_adapter("sandbox")
    step = timedelta(seconds=adapter.step_seconds)
    steps = scenario_for(parcel.tracking_number).steps
    expected_statuses = []

    for journey_step in steps:
        # the poller at the moment of this step: the carrier reports it, the status may move
        polling.poll_batch("sandbox", [parcel.pk], now=parcel.created_at + journey_step.offset * step
                           + timedelta(seconds=1))
        parcel.refresh_from_db()
        if parcel.status not in expected_statuses:
            expected_statuses.append(parcel.status)
            # the worker plans and sends before the parcel moves on (otherwise it would be stale)
            assert wait_for(lambda: Message.objects.filter(shipment=parcel, trigger_status=parcel.status)
                            .exclude(state=MessageState.QUEUED).count() == 3), parcel.status

    assert expected_statuses == ["ready_to_ship", "in_transit", "out_for_delivery", "delivered"]
    # the sandbox receipts arrive a moment later: whatsapp read, the others delivered
    assert wait_for(lambda: not Message.objects.filter(shipment=parcel, channel="whatsapp")
                    .exclude(state=MessageState.READ).exists())
    assert wait_for(lambda: not Message.objects.filter(shipment=parcel).exclude(channel="whatsapp")
                    .exclude(state=MessageState.DELIVERED).exists())
    messages = Message.objects.filter(shipment=parcel)
    assert sorted(messages.values_list("trigger_status", "channel")) == sorted(
        (status, channel) for status in expected_statuses for channel in ("email", "sms", "whatsapp")
    )
    assert set(messages.filter(channel="whatsapp").values_list("state", flat=True)) == {MessageState.READ}
    assert set(messages.exclude(channel="whatsapp").values_list("state", flat=True)) == {MessageState.DELIVERED}
    charges = Charge.objects.filter(message__shipment=parcel)
    assert charges.count() == 4
    assert {charge.unit_price for charge in charges} == {Decimal("0.14")}
