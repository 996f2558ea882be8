"""A flood of polling never holds back a shopper's message: two real `celery worker` processes,
one per kind of work as in production (`-Q polling`, `-Q dispatch`), on the real broker (Redis in
CI) and PostgreSQL. 2,000 polls against a slow carrier API are queued first; a tracking event
recorded afterwards has its message at the (sandbox) provider within seconds, while most of the
polls are still waiting. On one shared queue the event's planning would wait behind all 2,000."""

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from config.celery import app
from config.queues import QUEUE_NAMES
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from tests.conftest import redis_url_or_skip, require_postgres, wait_for
from tests.factories import BrandFactory
from tests.factories.billing import seed_default_plans
from tests.factories.tracking import ShipmentFactory
from tracking.models import Shipment
from tracking.services import event_record
from tracking.tasks import enqueue_poll_batch

ROOT = Path(__file__).resolve().parent.parent
FLOOD = 2000
CARRIER_SECONDS = 0.05  # each poll waits this long for the (fake) carrier
SENT_WITHIN_SECONDS = 10


class SlowCarrier:
    """DHL's tracking API on loopback: every answer a 404 after CARRIER_SECONDS, counted."""

    def __init__(self):
        self.requests = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests += 1
                time.sleep(CARRIER_SECONDS)
                body = b'{"status": 404, "title": "No shipment with given tracking number found."}'
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def start_worker(name: str, queues: str, env: dict, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-Q",
            queues,
            "-n",
            name,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    process.log = log
    return process


@pytest.fixture
def broker():
    """The CI broker with our queues empty before and after (this test leaves a backlog)."""
    url = redis_url_or_skip()
    client = redis.Redis.from_url(url)
    client.delete(*QUEUE_NAMES)
    app.conf.update(task_always_eager=False, broker_url=url)
    try:
        yield client
    finally:
        app.conf.update(task_always_eager=True)
        client.delete(*QUEUE_NAMES)


@pytest.fixture
def slow_carrier():
    fake = SlowCarrier()
    yield fake
    fake.close()


@pytest.fixture
def workers(transactional_db, broker, slow_carrier, tmp_path):
    """A polling worker and a dispatch worker, as two hosts would run them."""
    require_postgres()
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WHATSAPP_", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "INFO",
        "SECRET_KEY": "queues-worker-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "localhost",
        "PUBLIC_BASE_URL": "https://parcelcast.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url_or_skip(),
        "CACHE_URL": "locmemcache://queues",
        "WHATSAPP_MESSAGING_LIMIT": "0",
        "DHL_API_KEY": "test-key",
        "DHL_API_BASE_URL": slow_carrier.url,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    started = [
        start_worker(f"polling-{os.getpid()}@hostB", "polling", env, tmp_path / "polling.log"),
        start_worker(f"dispatch-{os.getpid()}@hostA", "dispatch", env, tmp_path / "dispatch.log"),
    ]
    try:
        for process in started:
            assert wait_for(lambda p=process: b" ready." in p.log.read_bytes() or p.poll() is not None, 90)
            assert process.poll() is None, process.log.read_text()[-3000:]
        yield started
    finally:
        for process in started:  # warm shutdown: connections closed before the database is flushed
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def sms_brand(account):
    seed_default_plans()
    brand = BrandFactory(account=account, name="Acme", slug="acme-queues")
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}})
    return brand


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_goes_out_in_seconds_while_a_flood_of_polling_waits(sms_brand, workers, broker, slow_carrier):
    # given 2,000 polls of a slow carrier queued, and the polling worker busy with them
    now = timezone.now()
    polled = Shipment.objects.bulk_create(
        [
            ShipmentFactory.build(brand=sms_brand, carrier="dhl", tracking_number=f"JJD{n:010d}", next_poll_at=now)
            for n in range(FLOOD)
        ]
    )
    for shipment in polled:
        enqueue_poll_batch("dhl", [shipment.pk])
    assert wait_for(lambda: slow_carrier.requests >= 3, timeout=60), workers[0].log.read_text()[-3000:]
    parcel = ShipmentFactory(brand=sms_brand, carrier="manual", recipient_phone="+31612345678")

    # when an event of another parcel comes in
    started = time.monotonic()
    event_record(shipment=parcel, status="in_transit", occurred_at=timezone.now())

    # then its message is at the provider within seconds
    sent = wait_for(
        lambda: Message.objects.filter(shipment=parcel, state=MessageState.SENT).exists(), timeout=SENT_WITHIN_SECONDS
    )
    waited = time.monotonic() - started
    backlog = broker.llen("polling")
    assert sent, (
        f"not sent within {SENT_WITHIN_SECONDS} s; polls still queued: {backlog}\n" + workers[1].log.read_text()[-3000:]
    )
    # while most of the polls queued before it still wait: it did not go through their queue
    print(f"sent after {waited:.2f} s with {backlog} polls still queued")
    assert backlog > FLOOD // 2, (backlog, waited)
    assert slow_carrier.requests < FLOOD // 2
