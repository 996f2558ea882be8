"""Channel fallback under faults, with two real workers, PostgreSQL, Redis, a loopback WhatsApp that
refuses 30% of the shoppers for good (131026: 20% at the send, 10% by a failed status webhook) and
fails 20% once (a transient 500), and a loopback Twilio for the fallback SMS. The tracking events
and every webhook are replayed twice; 10% of the accepted messages never get a receipt and are
replaced by the sweep once their wait is over (two sweeps at once).

Every status entry reaches its shopper exactly once, on exactly one channel; each expired WhatsApp
message has exactly one replacement; no provider sends a message twice; the charges are exactly
the WhatsApp messages accepted and not replaced, and the running spend equals them."""

import random
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from billing.models import Charge
from billing.spend_models import SpendMonth
from messaging import tasks
from messaging.models import Message, MessageState
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from messaging.services.sending_policy import sending_policy_replace
from tests.chaos.conftest import enqueue, wait_for
from tests.chaos.fake_whatsapp import FakeWhatsApp
from tests.factories import BrandFactory, ShipmentFactory
from tests.factories.billing import seed_default_plans
from tests.webhook_posts import whatsapp_post, whatsapp_statuses
from tracking.models import Shipment
from tracking.services import events_record_bulk

pytestmark = [pytest.mark.chaos, pytest.mark.postgres, pytest.mark.redis]
SHIPMENTS = 500
APP_SECRET = "chaos-app-secret"
REACHED = (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)
# What happens to shopper n, by n % 10.
REFUSED, FAILS_LATER, FLAKY, SILENT = {0, 1}, {2}, {3, 4}, {5}


def number(n: int) -> str:
    return f"+3161{n:07d}"


def kind(to_digits: str) -> int:
    return int(to_digits[-7:]) % 10


def fate(to_digits: str) -> str:
    k = kind(to_digits)
    return "refuse" if k in REFUSED else "flaky" if k in FLAKY else "accept"


def post_statuses(client, statuses: list[dict]) -> None:
    """Meta's status webhook, signed, 50 statuses a delivery."""
    for start in range(0, len(statuses), 50):
        response = whatsapp_post(client, whatsapp_statuses(statuses[start:start + 50], phone_number_id="1000"),
                                 APP_SECRET)
        assert response.status_code == 200, response.content


def status(message: Message, state: str) -> dict:
    item = {"id": f"wamid.{message.pk}", "status": state, "timestamp": str(int(time.time())),
            "recipient_id": message.recipient.lstrip("+"), "biz_opaque_callback_data": str(message.pk),
            "pricing": {"billable": True, "pricing_model": "PMP", "category": "utility"}}
    if state == "failed":
        item["errors"] = [{"code": 131026, "title": "Message undeliverable"}]
    return item


def replayed_twice(statuses: list[dict]) -> list[dict]:
    again = list(statuses)
    random.Random(15).shuffle(again)  # the second time in another order
    return statuses + again


def settled() -> bool:
    return not Message.objects.filter(state__in=(MessageState.QUEUED, MessageState.SCHEDULED)).exists()


@pytest.fixture
def fake_whatsapp():
    fake = FakeWhatsApp(fate)
    yield fake
    fake.close()


@pytest.mark.django_db(transaction=True)
def test_every_status_entry_reaches_its_shopper_exactly_once_under_provider_faults(
    account, workers, throwaway_redis, fake_twilio, fake_whatsapp, client, settings
):
    started = time.monotonic()
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    workers.env.update({"WHATSAPP_ACCESS_TOKEN": "chaos-token", "WHATSAPP_PHONE_NUMBER_ID": "1000",
                        "WHATSAPP_API_BASE_URL": fake_whatsapp.url, "WHATSAPP_APP_SECRET": APP_SECRET,
                        "MESSAGE_SEND_CONCURRENCY": "8"})
    seed_default_plans()
    brand = BrandFactory(account=account)
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="chaos")
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}})  # SMS is off
    sending_policy_replace(brand=brand, document={"fallback": {"enabled": True, "order": ["whatsapp", "sms", "email"],
                                                               "after_minutes": 1}})
    Shipment.objects.bulk_create([
        ShipmentFactory.build(brand=brand, carrier="manual", tracking_number=f"FB{n:05d}", recipient_phone=number(n),
                              recipient_email=f"shopper{n}@example.com", tracking_token=f"fallback-chaos-{n:05d}")
        for n in range(SHIPMENTS)
    ])
    events = [{"carrier": "manual", "tracking_number": f"FB{n:05d}", "status": "delivered",
               "occurred_at": timezone.now().isoformat(), "external_id": f"dlv-{n}"} for n in range(SHIPMENTS)]
    for _ in range(2):
        workers.start()

    def to_throwaway(task):
        return lambda ids: enqueue(throwaway_redis.url, task, ids)

    with mock.patch.object(tasks.plan_messages, "delay", side_effect=to_throwaway("messaging.tasks.plan_messages")), \
            mock.patch.object(tasks.send_messages, "delay", side_effect=to_throwaway("messaging.tasks.send_messages")):
        # the events, and a replay of them while the first are planned and sent
        assert events_record_bulk(account=account, items=events).accepted == SHIPMENTS
        assert events_record_bulk(account=account, items=events).duplicates == SHIPMENTS
        assert wait_for(lambda: Message.objects.filter(channel="whatsapp").count() == SHIPMENTS and settled(),
                        timeout=60, interval=0.5), workers.logs()

        # Meta's webhooks, each twice: delivered, or failed 131026 (10%), or nothing at all (10%)
        accepted = list(Message.objects.filter(channel="whatsapp", state=MessageState.SENT))
        statuses = [status(m, state) for m in accepted if kind(m.recipient) not in SILENT
                    for state in ("sent", "failed" if kind(m.recipient) in FAILS_LATER else "delivered")]
        post_statuses(client, replayed_twice(statuses))
        assert wait_for(settled, timeout=30, interval=0.5), workers.logs()

        # the silent ones' wait is over (their clock moved on two minutes): two sweeps at once
        with connection.cursor() as cursor:
            cursor.execute("UPDATE messaging_message SET sent_at = sent_at - interval '2 minutes' "
                           "WHERE channel = 'whatsapp' AND state = 'sent'")
        for _ in range(2):
            enqueue(throwaway_redis.url, "messaging.tasks.expire_undelivered_whatsapp")
        expected_expired = sum(n % 10 in REFUSED | FAILS_LATER | SILENT for n in range(SHIPMENTS))
        assert wait_for(lambda: Message.objects.filter(state=MessageState.EXPIRED).count() == expected_expired
                        and Message.objects.filter(channel="sms").count() == expected_expired and settled(),
                        timeout=30, interval=0.5), workers.logs()

        # late receipts for the replaced messages, twice, and the events a third time
        expired = list(Message.objects.filter(state=MessageState.EXPIRED))
        post_statuses(client, replayed_twice([status(m, state) for m in expired for state in ("delivered", "read")]))
        assert events_record_bulk(account=account, items=events).duplicates == SHIPMENTS
        time.sleep(1)  # anything enqueued by now would have been taken by a worker
        assert settled()

    messages = Message.objects.filter(brand=brand)
    reaching = list(messages.filter(state__in=REACHED).values_list("shipment_id", "trigger_status", "occurrence",
                                                                   "channel"))
    # every status entry reaches its shopper exactly once, on exactly one channel
    assert len(reaching) == SHIPMENTS
    assert len({(shipment, status, occurrence) for shipment, status, occurrence, _ in reaching}) == SHIPMENTS
    by_kind = {(kind(m.recipient), m.channel) for m in messages.filter(state__in=REACHED)}
    assert by_kind == {(k, "sms" if k in REFUSED | FAILS_LATER | SILENT else "whatsapp") for k in range(10)}
    # each expired WhatsApp message has exactly one replacement, on SMS (its toggle is off)
    replacements = dict(messages.exclude(fallback_of=None).values_list("fallback_of", "channel"))
    assert set(replacements) == set(messages.filter(state=MessageState.EXPIRED).values_list("pk", flat=True))
    assert set(replacements.values()) == {"sms"}
    assert not messages.values("fallback_of").exclude(fallback_of=None).annotate(n=Count("id")).filter(n__gt=1)
    # no provider took a message twice; the refused ones were never taken
    assert max(fake_whatsapp.accepted_per_message().values()) == 1
    assert not set(fake_whatsapp.accepted_per_message()) & fake_whatsapp.answered("refuse")
    sms_calls = fake_twilio.calls_per_message()
    assert set(sms_calls) == set(messages.filter(channel="sms").values_list("pk", flat=True))
    assert max(sms_calls.values()) == 1
    # charges: the WhatsApp messages accepted and not replaced, and nothing else
    billed = set(messages.filter(channel="whatsapp", state__in=REACHED).values_list("pk", flat=True))
    assert set(Charge.objects.values_list("message", flat=True)) == billed
    assert Charge.objects.count() == len(billed) == SHIPMENTS - expected_expired
    assert SpendMonth.objects.aggregate(total=Sum("amount"))["total"] == \
        Charge.objects.aggregate(total=Sum("unit_price"))["total"] == Decimal("0.14") * len(billed)
    print(f"\n{SHIPMENTS} shipments, fallback on: {len(billed)} by WhatsApp, {expected_expired} replaced by SMS "
          f"({len(fake_whatsapp.requests)} WhatsApp calls, {sum(sms_calls.values())} SMS calls) "
          f"in {time.monotonic() - started:.0f} s")
