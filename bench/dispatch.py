"""End-to-end dispatch throughput on PostgreSQL + Redis + real Celery workers, and its floor.

Events go in through the bulk ingest service; real Celery workers (subprocesses, prefork) plan
and send WhatsApp and SMS messages to a fake Graph/Twilio API served on loopback; charges are
written. The clock stops when every expected message is accepted and every charge written.
In the same run, the floor: the seconds PostgreSQL needs just to bulk-insert the same event,
message and charge rows. Prints one JSON object.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/dispatch.py

Options (environment): BENCH_EVENTS (5000), BENCH_WORKERS (2 worker processes), BENCH_POOL (threads),
BENCH_CONCURRENCY (16 per worker).
"""

import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.fake_providers import FakeProviders  # noqa: E402
EVENTS = int(os.environ.get("BENCH_EVENTS", "5000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Sending waits on the provider and on commits: threads overlap those waits on 2 cores.
POOL = os.environ.get("BENCH_POOL", "threads")
CONCURRENCY = os.environ.get("BENCH_CONCURRENCY", "16")


def refuse(message: str) -> None:
    common.refuse("dispatch", message)


def main() -> None:
    common.require_postgres_url("dispatch")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        refuse("needs Redis: set CELERY_BROKER_URL=redis://...")
    fake = FakeProviders().__enter__()
    base = fake.base_url
    provider_env = {
        "WHATSAPP_ACCESS_TOKEN": "bench", "WHATSAPP_PHONE_NUMBER_ID": "1000", "WHATSAPP_API_BASE_URL": base,
        "WHATSAPP_MESSAGES_PER_SECOND": "1000",  # an upgraded business number
        "TWILIO_ACCOUNT_SID": "ACbench", "TWILIO_AUTH_TOKEN": "bench", "TWILIO_FROM_NUMBER": "+3197010000000",
        "TWILIO_API_BASE_URL": base,
    }
    os.environ.update(provider_env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from config.celery import app

    setup_test_environment()
    app.conf.update(task_always_eager=False, broker_url=broker)
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"parcelcast_bench_dispatch_{os.getpid()}"
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    bench_db = connection.settings_dict["NAME"]
    workers = []
    try:
        app.connection_for_write().default_channel.client.flushdb()
        account, shipments = seed()
        sample = queries_per_message(account)
        env = {**os.environ, **provider_env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
               "SECRET_KEY": "bench-" + secrets.token_hex(24), "ALLOWED_HOSTS": "localhost",
               "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{bench_db}",
               "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
        for n in range(WORKERS):
            workers.append(subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool", POOL, "--concurrency", CONCURRENCY,
                 "--prefetch-multiplier", "1", "-n",
                 f"bench{n}@%h", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(4)  # workers up
        result = end_to_end(account, shipments, fake)
        result.update(sample)
        result.update(floor(account))
        result["end_to_end_vs_floor"] = round(result["events_per_second"] / result["floor_events_per_second"], 3)
        print(json.dumps(result))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        fake.__exit__()
        connection.creation.destroy_test_db(original, verbosity=0)


def seed():
    from brands.services import account_create, brand_create
    from messaging.services.consent import whatsapp_consent_give
    from messaging.services.notifications import channel_document_replace
    from tracking.models import Shipment

    account, _, _ = account_create(company_name="Bench B.V.", country="NL", plan="growth", email="bench@example.com")
    brand = brand_create(account=account, name="Bench", slug="bench", whatsapp_number="+31612345678")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="bench")
    for channel in ("sms", "whatsapp"):
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    rows = [
        Shipment(brand=brand, carrier="manual", tracking_number=f"BENCH{n:07d}", order_number=f"{n}",
                 recipient_name="Sanne", recipient_phone=f"+3161{n % 10_000_000:07d}", to_country="NL",
                 tracking_token=secrets.token_urlsafe(18))
        for n in range(EVENTS + 200)
    ]
    Shipment.objects.bulk_create(rows, batch_size=2000)
    return account, rows


def queries_per_message(account) -> dict:
    """Queries of planning + sending, measured in-process on 200 extra shipments (eager)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.celery import app
    from messaging.models import Message
    from tracking.services import events_record_bulk

    app.conf.update(task_always_eager=True)
    items = [{"carrier": "manual", "tracking_number": f"BENCH{EVENTS + n:07d}", "status": "out_for_delivery",
              "occurred_at": "2026-11-20T08:00:00+00:00"} for n in range(200)]
    try:
        with CaptureQueriesContext(connection) as ctx:
            events_record_bulk(account=account, items=items)
        messages = Message.objects.count()
    finally:
        app.conf.update(task_always_eager=False)
    return {"sample_messages": messages, "queries_per_message": round(len(ctx.captured_queries) / max(messages, 1), 2)}


def end_to_end(account, shipments, fake: FakeProviders) -> dict:
    from billing.models import Charge
    from messaging.models import Message, MessageState
    from tracking.services import events_record_bulk

    expected = EVENTS * 2
    already = Message.objects.count()
    start = time.perf_counter()
    for offset in range(0, EVENTS, 1000):
        items = [{"carrier": "manual", "tracking_number": s.tracking_number, "status": "in_transit",
                  "occurred_at": "2026-11-20T09:00:00+00:00"} for s in shipments[offset:min(offset + 1000, EVENTS)]]
        events_record_bulk(account=account, items=items)
    ingested = time.perf_counter() - start
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        done = Message.objects.filter(trigger_status="in_transit").exclude(state=MessageState.QUEUED).count()
        if done >= expected and Charge.objects.filter(message__trigger_status="in_transit").count() >= EVENTS:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    sent = Message.objects.filter(trigger_status="in_transit", state=MessageState.SENT).count()
    return {
        "bench": "dispatch", "events": EVENTS, "workers": WORKERS, "pool": POOL, "concurrency": CONCURRENCY, "messages_expected": expected, "messages_accepted": sent,
        "charges": Charge.objects.filter(message__trigger_status="in_transit").count(),
        "provider_requests": fake.requests, "ingest_seconds": round(ingested, 3),
        "seconds": round(seconds, 3), "events_per_second": round(EVENTS / seconds, 1),
        "messages_per_second": round(sent / seconds, 1), "messages_before": already,
    }


def floor(account) -> dict:
    """Bulk inserts of the same rows (events, messages, charges): PostgreSQL's own pace."""
    from decimal import Decimal

    from billing.models import Charge
    from messaging.models import Message
    from tracking.models import Shipment, TrackingEvent

    shipments = list(Shipment.objects.for_account(account).order_by("pk")[:EVENTS])
    now = datetime.now(UTC)
    start = time.perf_counter()
    events = TrackingEvent.objects.bulk_create(
        [TrackingEvent(shipment=s, status="delivered", occurred_at=now, external_id=f"floor-{s.pk}") for s in shipments],
        batch_size=2000)
    messages = Message.objects.bulk_create(
        [Message(shipment=s, brand_id=s.brand_id, channel=channel, trigger_status="delivered", recipient="+31612345678",
                 body="x" * 160, state="sent", provider_message_id=f"floor-{channel}-{s.pk}", sent_at=now)
         for s in shipments for channel in ("sms", "whatsapp")], batch_size=2000)
    Charge.objects.bulk_create(
        [Charge(account=account, brand_id=m.brand_id, message=m, channel="whatsapp", unit_price=Decimal("0.14"),
                created_at=now) for m in messages if m.channel == "whatsapp"], batch_size=2000)
    seconds = time.perf_counter() - start
    return {"floor_seconds": round(seconds, 3), "floor_events_per_second": round(len(events) / seconds, 1),
            "floor_rows": len(events) + len(messages) + len(messages) // 2, "floor_started": str(now - timedelta())}


if __name__ == "__main__":
    main()
