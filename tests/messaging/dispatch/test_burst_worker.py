"""The outcome depends on the events, not on how busy the workers are (DESIGN "Send decisions" 4):
the eleven statuses pushed 0.3 s apart give the same actionable messages as pushed 4 s apart,
through a real worker on the real broker."""

import time

import pytest
from django.utils import timezone

from messaging.models import Message, MessageState
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.test_end_to_end_worker import real_worker, wait_for  # noqa: F401 (fixture)
from tracking.services import event_record
from tracking.statuses import ACTIONABLE, ALL_CODES, PASSING


def actionable(shipment) -> set[tuple[str, int, str]]:
    return set(Message.objects.filter(shipment=shipment, trigger_status__in=ACTIONABLE)
               .exclude(state=MessageState.SUPPRESSED).values_list("trigger_status", "occurrence", "channel"))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_burst_0_3_s_apart_sends_the_same_actionable_messages_as_4_s_apart(notifying_brand, real_worker):  # noqa: F811
    burst = ShipmentFactory(brand=notifying_brand, recipient_phone="+31612345671", recipient_email="b@example.com")
    calm = ShipmentFactory(brand=notifying_brand, recipient_phone="+31612345672", recipient_email="c@example.com")
    start = time.monotonic()
    plan = sorted([(index * 0.3, burst, status) for index, status in enumerate(ALL_CODES)]
                  + [(index * 4.0, calm, status) for index, status in enumerate(ALL_CODES)], key=lambda x: x[0])
    for at, shipment, status in plan:
        time.sleep(max(0.0, start + at - time.monotonic()))
        event_record(shipment=shipment, status=status, occurred_at=timezone.now())

    settled = wait_for(lambda: not Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SCHEDULED])
                       .exists() and Message.objects.filter(shipment=calm, trigger_status="post_purchase").exists(),
                       timeout=60)
    assert settled
    expected = {(status, 1, channel) for status in ACTIONABLE for channel in ("email", "sms", "whatsapp")}
    assert actionable(burst) == actionable(calm) == expected
    # the passing statuses of the burst were sent or gave way, never anything else
    assert set(Message.objects.filter(shipment=burst, trigger_status__in=PASSING).values_list("error_code", flat=True)) \
        <= {"", "superseded"}
