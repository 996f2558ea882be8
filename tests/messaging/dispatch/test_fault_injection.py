"""1,000 shipments through the pipeline while the provider fails 20% of calls (transient errors
and timeouts), with every event, task and webhook replayed twice: each expected message is
sent exactly once, none is lost, and charges equal accepted WhatsApp messages."""

import random
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from billing.models import Charge
from messaging import tasks
from messaging.dispatch import sending
from messaging.dispatch.planning import plan_messages
from messaging.models import Message, MessageState
from messaging.providers.base import ProviderError, ProviderResult
from tests.factories.tracking import ShipmentFactory
from tests.webhook_posts import whatsapp_post, whatsapp_statuses
from tracking.models import Shipment, StatusEntry

pytestmark = pytest.mark.django_db
SHIPMENTS = int(__import__("os").environ.get("FAULT_SHIPMENTS", "1000"))


class FlakyProvider:
    """Accepts 80% of calls; the rest fail before acceptance (timeouts, rate limits, 5xx)."""

    failures = (
        ProviderError("read timed out", code="timeout", kind="transient"),
        ProviderError("(#130429) Rate limit hit", code="130429", kind="transient", retry_after=2),
        ProviderError("(#131000) Something went wrong", code="131000", kind="transient"),
    )

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.accepted: Counter = Counter()
        self.calls = 0

    def for_channel(self, channel):
        return self  # one fake serves every channel

    def send(self, message):
        self.calls += 1
        if self.random.random() < 0.2:
            raise self.random.choice(self.failures)
        self.accepted[message.message_id] += 1
        return ProviderResult(f"fake-{message.channel}-{message.message_id}", "fake", {})


def signed(client, settings, statuses):
    return whatsapp_post(client, whatsapp_statuses(statuses), settings.WHATSAPP_APP_SECRET)


def test_every_message_is_sent_exactly_once_under_failures_and_replays(
    api, client, settings, notifying_brand, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_APP_SECRET = "secret"
    parcels = [
        ShipmentFactory.build(brand=notifying_brand, carrier="manual", tracking_number=f"FLAKY{n:05d}",
                              recipient_phone=f"+3161{n:07d}", recipient_email=f"shopper{n}@example.com")
        for n in range(SHIPMENTS)
    ]
    Shipment.objects.bulk_create(parcels)
    happened = (timezone.now() - timedelta(hours=1)).isoformat()  # news: within the 12 h window
    events = [
        {"carrier": "manual", "tracking_number": p.tracking_number, "status": "out_for_delivery",
         "occurred_at": happened, "external_id": f"ofd-{p.tracking_number}"}
        for p in parcels
    ]
    flaky = FlakyProvider(seed=20261122)

    with mock.patch("messaging.dispatch.sending.get_provider", side_effect=flaky.for_channel), \
            mock.patch("messaging.throttle.take", side_effect=lambda key, count, *rate: (count, 0.0)):
        # the events, twice (a client retrying the whole call)
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert api.post("/api/v1/tracking-events/", events, format="json").status_code == 200
        # every task redelivered: planning and sending again
        changes = [[p.pk, "out_for_delivery"] for p in Shipment.objects.filter(tracking_number__startswith="FLAKY")]
        tasks.plan_messages(list(StatusEntry.objects.values_list("pk", flat=True)))
        plan_messages([tuple(c) for c in changes])
        all_ids = list(Message.objects.values_list("pk", flat=True))
        tasks.send_messages(all_ids)
        # time passes: the retries (and the outbox sweeper) come back until nothing is queued
        later = timezone.now()
        for _ in range(sending.MAX_ATTEMPTS + 2):
            queued = list(Message.objects.filter(state=MessageState.QUEUED).values_list("pk", flat=True))
            if not queued:
                break
            later += timedelta(hours=1)
            for message_id in queued:
                sending.send_message(message_id, now=later)

    expected = SHIPMENTS * 3
    messages = Message.objects.all()
    assert messages.count() == expected
    assert Counter(messages.values_list("state", flat=True)) == {MessageState.SENT: expected}
    assert set(flaky.accepted.values()) == {1}, "a message was accepted by the provider more than once"
    assert len(flaky.accepted) == expected
    assert flaky.calls > expected  # the failures really happened and were retried

    whatsapp = list(messages.filter(channel="whatsapp").values_list("pk", "provider_message_id"))
    assert Charge.objects.count() == len(whatsapp) == SHIPMENTS
    assert Charge.objects.values("message").distinct().count() == SHIPMENTS

    # the delivery webhooks, twice and out of order (read before delivered)
    reads = [{"id": wamid, "status": "read", "timestamp": "1763629300", "recipient_id": "1",
              "biz_opaque_callback_data": str(pk)} for pk, wamid in whatsapp]
    delivered = [dict(item, status="delivered", timestamp="1763629200") for item in reads]
    for batch in (reads, delivered, reads, delivered):
        assert signed(client, settings, batch).status_code == 200
    assert Message.objects.filter(channel="whatsapp", state=MessageState.READ).count() == SHIPMENTS
    assert Charge.objects.count() == SHIPMENTS
