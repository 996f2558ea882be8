"""Status webhook intake: signed WhatsApp and Twilio status webhooks, from the first POST to every
status applied, on gunicorn + PostgreSQL + Redis + a real Celery worker.

Set-up (not timed): a throwaway database; per phase a brand and BENCH_WEBHOOK_MESSAGES messages
already accepted by the provider (state `sent`, provider ids stored); every request body built and
signed beforehand (X-Hub-Signature-256 for Meta, X-Twilio-Signature for Twilio), so the client
only sends. The server is gunicorn (`gunicorn config.wsgi`, what production runs: gthread workers
for keep-alive) with DEBUG off; one Celery worker (prefork) applies what the views recorded.

Phases, each with two statuses per message in a shuffled order (so a `read` often comes before
its `delivered`, a Twilio `delivered` before its `sent`):
  a. `single`: WhatsApp, one status per POST, BENCH_WEBHOOK_CLIENTS concurrent keep-alive
     connections (an asyncio aiohttp client: ab posts one fixed body only, and the bodies differ);
  b. `batch`: WhatsApp, 100 statuses per POST (as Meta batches under load), delivered ones with
     Meta's `pricing` (a MessagePricing row each);
  c. `twilio`: Twilio status callbacks (form-encoded, `?m=<our id>`), one per POST;
then `replay`: every request of the three phases posted again (duplicates: nothing may change).

Per phase: `answered_per_second` (statuses / time to the last 2xx) and `statuses_per_second`
(statuses / time from the first POST until every message is in its final state with every time
stamped and, with the intake, no row pending: the database polled every 50 ms), the client's p50 /
p95 response time, the CPU time per status of gunicorn's and the worker's process trees and of
the whole machine (PostgreSQL and Redis included): less sensitive to other load on the machine
than the rates; and the bench process's own CPU (the client shares the 2 cores with the
server: a high `client_cpu_seconds` means the client was a bottleneck too). Checks: no loss (every
message final), each status recorded once (intake rows = distinct statuses, none pending, none
failed), pricing rows = delivered statuses, and after the replay nothing changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/webhooks.py

Options (environment): BENCH_WEBHOOK_MESSAGES (3000 per phase: 6,000 statuses), BENCH_WEBHOOK_CLIENTS
(32 connections), BENCH_WEB_WORKERS (2 gunicorn processes), BENCH_WEB_THREADS (8 each),
BENCH_CONCURRENCY (2: the Celery worker's processes), BENCH_SERVER_ROOT (another checkout whose
code the server and worker run, e.g. the commit before the intake, to compare; same database).
"""

import asyncio
import hashlib
import hmac
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common
from bench.dispatch import busy_cpu_seconds, tree_cpu_seconds

MESSAGES = int(os.environ.get("BENCH_WEBHOOK_MESSAGES", "3000"))
CLIENTS = int(os.environ.get("BENCH_WEBHOOK_CLIENTS", "32"))
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "2")
WEB_THREADS = os.environ.get("BENCH_WEB_THREADS", "8")
CONCURRENCY = os.environ.get("BENCH_CONCURRENCY", "2")
SERVER_ROOT = Path(os.environ.get("BENCH_SERVER_ROOT", str(ROOT)))
BATCH = 100
APP_SECRET = "bench-app-secret"
TWILIO_TOKEN = "bench-twilio-token"
TARGET_STATUSES_PER_SECOND = 1500


def main() -> None:
    common.require_postgres_url("webhooks")
    broker = common.require_redis_url("webhooks")
    with common.throwaway_database("webhooks") as bench_db:
        from config.celery import app

        app.connection_for_write().default_channel.client.flushdb()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        phases = seed(base)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
               "SECRET_KEY": "bench-" + secrets.token_hex(24), "ALLOWED_HOSTS": "127.0.0.1,localhost",
               "SECURE_SSL_REDIRECT": "false", "PUBLIC_BASE_URL": base,
               "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{bench_db}",
               "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING", "WHATSAPP_APP_SECRET": APP_SECRET,
               "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "THROTTLE_WEBHOOK": "100000000/m"}
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", WEB_WORKERS,
             "-k", "gthread", "--threads", WEB_THREADS, "--keep-alive", "30", "--log-level", "warning"],
            cwd=SERVER_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        worker = subprocess.Popen(
            [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool", "prefork", "--concurrency",
             CONCURRENCY, "--prefetch-multiplier", "1", "-n", "benchhooks@%h", "--without-gossip",
             "--without-mingle", "--loglevel", "WARNING"],
            cwd=SERVER_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(base)
            time.sleep(3)  # the worker up
            result = {"bench": "webhooks", "messages_per_phase": MESSAGES, "clients": CLIENTS,
                      "web": f"gunicorn gthread {WEB_WORKERS}x{WEB_THREADS}", "worker_concurrency": CONCURRENCY,
                      "cpus": os.cpu_count(), "server_root": str(SERVER_ROOT), "load_before": os.getloadavg()}
            for phase in phases:
                result[phase["name"]] = run_phase(base, phase, {"web": server.pid, "worker": worker.pid})
            result["replay"] = replay(base, phases)
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=30)
    result["load_after"] = os.getloadavg()
    rates = [result[p["name"]]["statuses_per_second"] for p in phases]
    checks = [result[p["name"]]["ok"] for p in phases] + [result["replay"]["ok"]]
    result["target"] = {"statuses_per_second": TARGET_STATUSES_PER_SECOND, "no_loss_no_duplicates": all(checks),
                        "met": all(checks) and min(rates) >= TARGET_STATUSES_PER_SECOND}
    print(json.dumps(result))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/webhooks/whatsapp/?hub.mode=x", timeout=2)
        except urllib.error.HTTPError:
            return  # 403: the server answers
        except OSError:
            time.sleep(0.2)
    common.refuse("webhooks", "gunicorn did not start")


# --- set-up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One phase of the bench: which provider's webhooks, how its message ids look, how many
    statuses a POST carries (None: the provider's own form, one a request) and the final state."""

    name: str
    channel: str
    provider: str
    message_id: str  # formatted with n (the phase) and i (the message)
    per_post: int | None
    final: str
    priced: bool  # the provider reports a price with each delivered status (Meta's `pricing`)

    def requests(self, messages, *, now, base) -> list[tuple]:
        if self.per_post is None:
            return twilio_requests(messages, base)
        return whatsapp_requests(messages, now, per_post=self.per_post)


PHASES = (
    Phase("single", "whatsapp", "whatsapp_cloud", "wamid.HBg{n}{i:08d}", per_post=1, final="read", priced=True),
    Phase("batch", "whatsapp", "whatsapp_cloud", "wamid.HBg{n}{i:08d}", per_post=BATCH, final="read", priced=True),
    Phase("twilio", "sms", "twilio", "SM{n}{i:032d}", per_post=None, final="delivered", priced=False),
)


def seed(base: str) -> list[dict]:
    from brands.services import account_create, brand_create
    from messaging.models import Message
    from tracking.models import Shipment

    account, _, _ = account_create(company_name="Hooks B.V.", country="NL", plan="growth", email="hooks@example.com")
    now = datetime.now(UTC)
    phases = []
    for n, phase in enumerate(PHASES):
        brand = brand_create(account=account, name=f"Hooks {phase.name}", slug=f"hooks-{phase.name}")
        shipments = Shipment.objects.bulk_create([
            Shipment(brand=brand, carrier="manual", tracking_number=f"H{n}{i:07d}", order_number=str(i),
                     recipient_name="Sanne", recipient_phone=f"+3161{i:07d}", to_country="NL",
                     tracking_token=secrets.token_urlsafe(18)) for i in range(MESSAGES)], batch_size=2000)
        messages = Message.objects.bulk_create([
            Message(shipment=s, brand=brand, channel=phase.channel, trigger_status="in_transit",
                    recipient=s.recipient_phone, body="x", state="sent", provider=phase.provider,
                    sent_at=now - timedelta(minutes=5), provider_message_id=phase.message_id.format(n=n, i=i))
            for i, s in enumerate(shipments)], batch_size=2000)
        phases.append({"name": phase.name, "channel": phase.channel, "brand_id": brand.pk,
                       "requests": phase.requests(messages, now=now, base=base),
                       "statuses": 2 * len(messages), "final": phase.final, "priced": phase.priced})
    return phases


def whatsapp_requests(messages, now, *, per_post: int) -> list[tuple]:
    statuses = []
    for m in messages:
        statuses.append({"id": m.provider_message_id, "status": "delivered", "recipient_id": m.recipient[1:],
                         "timestamp": str(int((now - timedelta(seconds=60)).timestamp())),
                         "pricing": {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular"}})
        statuses.append({"id": m.provider_message_id, "status": "read", "recipient_id": m.recipient[1:],
                         "timestamp": str(int((now - timedelta(seconds=30)).timestamp()))})
    random.Random(19).shuffle(statuses)
    requests = []
    for start in range(0, len(statuses), per_post):
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1010", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp",
                                           "metadata": {"display_phone_number": "31850000000", "phone_number_id": "1000"},
                                           "statuses": statuses[start:start + per_post]}}]}]}).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        requests.append(("/webhooks/whatsapp/", body, {"Content-Type": "application/json",
                                                       "X-Hub-Signature-256": signature}, len(statuses[start:start + per_post])))
    return requests


def twilio_requests(messages, base: str) -> list[tuple]:
    from messaging.webhooks.twilio_parse import compute_signature

    items = [(m, status) for m in messages for status in ("sent", "delivered")]
    random.Random(19).shuffle(items)
    requests = []
    for m, status in items:
        path = f"/webhooks/twilio/status/?m={m.pk}"
        params = {"MessageSid": m.provider_message_id, "MessageStatus": status, "To": m.recipient,
                  "From": "+3197010000000", "AccountSid": "ACbench", "ApiVersion": "2010-04-01"}
        requests.append((path, urlencode(params).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": compute_signature(base + path, params, TWILIO_TOKEN)}, 1))
    return requests


# --- measuring -----------------------------------------------------------------------------


async def post_all(base: str, requests: list[tuple]) -> dict:
    import aiohttp

    latencies, failures = [], []
    queue = iter(requests)

    async def client(session):
        for path, body, headers, _ in queue:
            start = time.perf_counter()
            async with session.post(base + path, data=body, headers=headers) as response:
                await response.read()
                if response.status >= 300:
                    failures.append(response.status)
            latencies.append(time.perf_counter() - start)

    connector = aiohttp.TCPConnector(limit=CLIENTS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
    latencies.sort()
    return {"failures": len(failures), "failure_codes": sorted(set(failures)),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2)}


def intake_counts() -> dict | None:
    """The intake's rows; None without it (BENCH_SERVER_ROOT at code from before it: nothing written)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('messaging_statusintake') IS NOT NULL")
        if not cursor.fetchone()[0] or SERVER_ROOT != ROOT and not _has_intake():
            return None
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE processed_at IS NULL),"
                       " count(*) FILTER (WHERE last_error <> '') FROM messaging_statusintake")
        rows, pending, failed = cursor.fetchone()
    return {"rows": rows, "pending": pending, "failed": failed}


def _has_intake() -> bool:
    return (SERVER_ROOT / "messaging/dispatch/status_intake.py").exists()


def final_count(phase: dict) -> int:
    from messaging.models import Message

    rows = Message.objects.filter(brand_id=phase["brand_id"], state=phase["final"], delivered_at__isnull=False)
    if phase["final"] == "read":
        rows = rows.filter(read_at__isnull=False)
    return rows.count()


def run_phase(base: str, phase: dict, pids: dict) -> dict:
    from messaging.models import MessagePricing

    before = intake_counts()
    cpu_before = {name: tree_cpu_seconds([pid]) for name, pid in pids.items()}
    machine_before = busy_cpu_seconds()
    cpu = time.process_time()
    start = time.perf_counter()
    client = asyncio.run(post_all(base, phase["requests"]))
    answered = time.perf_counter() - start
    client_cpu = time.process_time() - cpu
    expected = phase["statuses"] // 2
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        intake = intake_counts()
        if final_count(phase) >= expected and (intake is None or intake["pending"] == 0):
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    cpu_ms = {f"{name}_cpu_ms_per_status": round((tree_cpu_seconds([pid]) - cpu_before[name]) * 1000 / phase["statuses"], 3)
              for name, pid in pids.items()}
    cpu_ms["machine_cpu_ms_per_status"] = round((busy_cpu_seconds() - machine_before) * 1000 / phase["statuses"], 3)
    intake = intake_counts()
    final = final_count(phase)
    recorded = intake["rows"] - before["rows"] if intake else None
    pricing = MessagePricing.objects.filter(message__brand_id=phase["brand_id"]).count()
    ok = (final == expected and client["failures"] == 0 and (intake is None or (
        recorded == phase["statuses"] and intake["pending"] == 0 and intake["failed"] == 0))
        and (not phase["priced"] or pricing == expected))
    return {"requests": len(phase["requests"]), "statuses": phase["statuses"], "messages_final": final,
            "intake_rows": recorded, "pricing_rows": pricing if phase["channel"] == "whatsapp" else None,
            "answered_seconds": round(answered, 3), "answered_per_second": round(phase["statuses"] / answered, 1),
            "seconds": round(seconds, 3), "statuses_per_second": round(phase["statuses"] / seconds, 1),
            "requests_per_second": round(len(phase["requests"]) / answered, 1),
            "client_cpu_seconds": round(client_cpu, 2), **cpu_ms, **client, "ok": ok, "load": os.getloadavg()}


def replay(base: str, phases: list[dict]) -> dict:
    from messaging.models import Message, MessagePricing

    def snapshot():
        rows = Message.objects.filter(brand_id__in=[p["brand_id"] for p in phases]).order_by("pk")
        return list(rows.values_list("pk", "state", "delivered_at", "read_at")), MessagePricing.objects.count()

    before, intake_before = snapshot(), intake_counts()
    requests = [request for phase in phases for request in phase["requests"]]
    start = time.perf_counter()
    client = asyncio.run(post_all(base, requests))
    answered = time.perf_counter() - start
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (intake_counts() or {"pending": 0})["pending"]:
        time.sleep(0.05)
    time.sleep(1)  # with the old synchronous path: any late change would show
    intake = intake_counts()
    unchanged = snapshot() == before
    ok = unchanged and client["failures"] == 0 and (intake is None or intake["rows"] == intake_before["rows"])
    return {"requests": len(requests), "answered_seconds": round(answered, 3),
            "requests_per_second": round(len(requests) / answered, 1), "unchanged": unchanged,
            "intake_rows_added": intake["rows"] - intake_before["rows"] if intake else None, **client, "ok": ok}


if __name__ == "__main__":
    main()
