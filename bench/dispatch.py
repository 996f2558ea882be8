"""End-to-end dispatch throughput on PostgreSQL + Redis + real Celery workers, and its floor.

Events go in through the bulk ingest service (1,000 per call, like the API); real Celery workers
(subprocesses) plan and send a WhatsApp and an SMS message per event to a fake Graph/Twilio API
served on loopback (bench/fake_providers.py); charges are written. The clock stops when every
expected message is accepted and every charge written. In the same run, the floor: the seconds
PostgreSQL needs just to bulk-insert the same event, message and charge rows. Prints one JSON
object, with the machine's busy CPU time over the run (all processes: workers, PostgreSQL,
Redis, the fake providers) per event, and the workers' own CPU time per event (planning and
sending alone, which other load on the machine hardly changes): they tell a slow run on a busy
machine from a slow code. Latency: from an event's ingest (its `recorded_at`) to the provider's
acceptance of each of its messages (`sent_at`), p50 and p95 (and the worst) over the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/dispatch.py

Options (environment): BENCH_EVENTS (5000), BENCH_CHANNELS (sms,whatsapp: two messages per event),
BENCH_WORKERS (1 worker node), BENCH_POOL (prefork), BENCH_CONCURRENCY (4 child processes per node),
MESSAGE_SEND_CONCURRENCY (the workers' setting, default 16), BENCH_WHATSAPP_RATE (10000 messages/s:
the throttle's rate for the one business number, see below), BENCH_POLICY (1: a sending policy
and a spend cap switched on, `with_policy`), BENCH_SPLIT_WORKERS (1: the workers as two hosts would
run them: `dispatch@hostA` on the dispatch queue alone, `other@hostB` on every other queue, with
BENCH_POLL_FLOOD (2000) polls queued just before the events; README, "Growing past one machine"),
BENCH_PROVIDER_LATENCY_MS (0: the fake answers at once; 200: a real provider's round trip, each
answer after 100 - 300 ms, where the calls in flight, not the CPU, bound a worker's pace).
`messages_per_group`: acceptances recorded per transaction (the messages of a group share their
`sent_at`).
Every run prints the tasks each worker ran (`per_worker_tasks`, from the workers' own stats).
One node with four prefork children, as the README's production layout runs the dispatch queue
(`celery -A config worker -Q dispatch --concurrency=4`, one node per host): on loopback sending
is CPU work in Python, so processes, not threads, use both cores, and each child still has its
provider calls in flight concurrently (its send pool). Two nodes of two children (the layout
until session 7: BENCH_WORKERS=2 BENCH_CONCURRENCY=2) did the same work about 9 % slower in
alternating runs: each node's own consumer process takes its share of the two cores.
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
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
POOL = os.environ.get("BENCH_POOL", "prefork")
CONCURRENCY = os.environ.get("BENCH_CONCURRENCY", "4")
# The channels switched on for the bench brand: one message per channel and event.
CHANNELS = tuple(os.environ.get("BENCH_CHANNELS", "sms,whatsapp").split(","))
# The business number's rate the workers' throttle enforces. The fake provider has no limit of its
# own, so the bench sets one well above the pipeline's pace: it measures Parcelcast, with the
# throttle's token request still made for every batch. Meta allows one number 1,000 messages/s
# at most (upgraded; 80 by default): BENCH_WHATSAPP_RATE=1000 shows that cap, which bounds a
# platform sending from one number whatever its pipeline does (README, Throughput).
WHATSAPP_RATE = int(os.environ.get("BENCH_WHATSAPP_RATE", "10000"))
# BENCH_POLICY=1: the brand's sending policy and the account's spend cap switched on (with_policy).
POLICY = os.environ.get("BENCH_POLICY", "") not in ("", "0", "false")
SPLIT = os.environ.get("BENCH_SPLIT_WORKERS", "") not in ("", "0", "false")
POLL_FLOOD = int(os.environ.get("BENCH_POLL_FLOOD", "2000"))
PROVIDER_LATENCY_MS = float(os.environ.get("BENCH_PROVIDER_LATENCY_MS", "0"))
TARGET_EVENTS_PER_SECOND = 1000
TARGET_SHARE_OF_FLOOR = 0.25


def main() -> None:
    common.require_postgres_url("dispatch")
    broker = common.require_redis_url("dispatch")
    with FakeProviders(latency_ms=PROVIDER_LATENCY_MS) as fake:
        provider_env = {
            "WHATSAPP_ACCESS_TOKEN": "bench", "WHATSAPP_PHONE_NUMBER_ID": "1000", "WHATSAPP_API_BASE_URL": fake.base_url,
            "WHATSAPP_MESSAGES_PER_SECOND": str(WHATSAPP_RATE), "WHATSAPP_MESSAGING_LIMIT": "0",
            "TWILIO_ACCOUNT_SID": "ACbench", "TWILIO_AUTH_TOKEN": "bench", "TWILIO_FROM_NUMBER": "+3197010000000",
            "TWILIO_API_BASE_URL": fake.base_url,
        }
        os.environ.update(provider_env)
        with common.throwaway_database("dispatch") as bench_db:
            from config.celery import app

            app.conf.update(task_always_eager=False, broker_url=broker)
            app.connection_for_write().default_channel.client.flushdb()
            account, shipments = seed()
            sample = queries_per_message(account)
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
                   "SECRET_KEY": "bench-" + secrets.token_hex(24), "ALLOWED_HOSTS": "localhost",
                   "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{bench_db}",
                   "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
            workers = [subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", *options,
                 "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for options in worker_options()]
            try:
                time.sleep(4)  # workers up
                if SPLIT:
                    flood_polls(shipments)
                result = end_to_end(account, shipments, fake, [worker.pid for worker in workers])
                result.update(per_worker_tasks(app, len(workers)))
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(timeout=30)
            result.update(sample)
            result.update(floor(account))
    share = result["events_per_second"] / result["floor_events_per_second"]
    result["end_to_end_vs_floor"] = round(share, 3)
    result["target"] = {"events_per_second": TARGET_EVENTS_PER_SECOND, "share_of_floor": TARGET_SHARE_OF_FLOOR,
                        "met": result["events_per_second"] >= TARGET_EVENTS_PER_SECOND and share >= TARGET_SHARE_OF_FLOOR}
    print(json.dumps(result))


def worker_options() -> list[list[str]]:
    """Each worker's pool, name and queues: BENCH_WORKERS alike on every queue, or (split) one
    for dispatch alone and one for all the rest, named as two hosts."""
    pool = ["--pool", POOL, "--concurrency", CONCURRENCY]
    if not SPLIT:
        return [[*pool, "-n", f"bench{n}@%h"] for n in range(WORKERS)]
    from config.queues import DISPATCH, QUEUE_NAMES

    others = ",".join(name for name in QUEUE_NAMES if name != DISPATCH)
    return [[*pool, "-n", "dispatch@hostA", "-Q", DISPATCH],
            ["--pool", "prefork", "--concurrency", "1", "-n", "other@hostB", "-Q", others]]


def flood_polls(shipments) -> None:
    """BENCH_POLL_FLOOD poll tasks on the polling queue, ahead of the events (manual shipments are
    never due: each poll finds nothing to ask, the queue's traffic is the point)."""
    from tracking.tasks import enqueue_poll_batch

    for n in range(POLL_FLOOD):
        enqueue_poll_batch("manual", [shipments[n % len(shipments)].pk])


def per_worker_tasks(app, expected: int) -> dict:
    """Tasks run per worker and task name, as the workers count them (`celery inspect stats`)."""
    stats = {}
    for _ in range(3):
        stats = app.control.inspect(timeout=3).stats() or {}
        if len(stats) >= expected:
            break
    tasks = {node: dict(sorted(info.get("total", {}).items())) for node, info in sorted(stats.items())}
    return {"workers": expected, "split_workers": SPLIT, "poll_flood": POLL_FLOOD if SPLIT else 0,
            "per_worker_tasks": tasks}


def busy_cpu_seconds() -> float | None:
    """Busy time of every CPU of the machine since boot (Linux), in seconds; None elsewhere."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0  # taken by the hypervisor, not by this run
    return (sum(fields[:8]) - idle - steal) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(roots: list[int]) -> float | None:
    """User + system CPU time of these processes and all their descendants, including children
    that have ended (Linux /proc), in seconds; None elsewhere."""
    processes = {}
    try:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:  # ended meanwhile
                    continue
                # After the command: state, ppid, ... utime, stime, cutime, cstime (fields 14 to 17).
                processes[int(entry.name)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    except OSError:
        return None
    tree, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in processes.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(processes[pid][1] for pid in tree if pid in processes) / os.sysconf("SC_CLK_TCK")


def latency_percentiles() -> dict:
    """Seconds from each event's ingest to its messages' acceptance by the provider."""
    from django.db import connection

    from messaging.models import Message
    from tracking.models import TrackingEvent

    sql = (f"SELECT percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY s), max(s) FROM ("
           f" SELECT extract(epoch FROM m.sent_at - e.recorded_at) AS s"
           f" FROM {Message._meta.db_table} m JOIN {TrackingEvent._meta.db_table} e"
           f" ON e.shipment_id = m.shipment_id AND e.status = m.trigger_status"
           f" WHERE m.trigger_status = 'in_transit' AND m.sent_at IS NOT NULL) AS latency")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        (p50, p95), worst = cursor.fetchone()
    return {"latency_p50_seconds": round(p50, 3), "latency_p95_seconds": round(p95, 3),
            "latency_max_seconds": round(float(worst), 3)}


def seed():
    from brands.services import account_create, brand_create
    from messaging.services.consent import whatsapp_consent_give
    from messaging.services.notifications import channel_document_replace
    from tracking.models import Shipment

    account, _, _ = account_create(company_name="Bench B.V.", country="NL", plan="growth", email="bench@example.com")
    brand = brand_create(account=account, name="Bench", slug="bench", whatsapp_number="+31612345678")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="bench")
    for channel in CHANNELS:
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    if POLICY:
        with_policy(account, brand)
    rows = [
        Shipment(brand=brand, carrier="manual", tracking_number=f"BENCH{n:07d}", order_number=f"{n}",
                 recipient_name="Sanne", recipient_phone=f"+3161{n % 10_000_000:07d}", to_country="NL",
                 tracking_token=secrets.token_urlsafe(18))
        for n in range(EVENTS + 200)
    ]
    Shipment.objects.bulk_create(rows, batch_size=2000)
    return account, rows


def with_policy(account, brand) -> None:
    """BENCH_POLICY=1: a sending policy switched on (issue 15's bench): quiet hours in the
    shoppers' time zone, two hours from now (so every message is checked against them and none
    held), fallback on, a per-shipment cap, and a spend cap set far above the run's spend."""
    from zoneinfo import ZoneInfo

    from billing.spend import spend_cap_set
    from messaging.services.sending_policy import sending_policy_replace

    local = datetime.now(ZoneInfo("Europe/Amsterdam"))
    start, end = (local + timedelta(hours=2)).strftime("%H:00"), (local + timedelta(hours=3)).strftime("%H:00")
    sending_policy_replace(brand=brand, document={
        "quiet_hours": {"enabled": True, "start": start, "end": end, "except": ["out_for_delivery"]},
        "fallback": {"enabled": True, "order": ["whatsapp", "sms", "email"], "after_minutes": 30},
        "max_messages_per_shipment": 10, "consolidation_seconds": 0, "ready_to_ship": "label_created"})
    spend_cap_set(account=account, monthly_cap="1000000.00", alert_at_percent=80, on_cap="fallback")


def queries_per_message(account) -> dict:
    """Queries of planning + sending, measured in-process on 200 extra shipments (eager)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.celery import app
    from messaging.models import Message
    from tracking.services import events_record_bulk

    app.conf.update(task_always_eager=True)
    items = [{"carrier": "manual", "tracking_number": f"BENCH{EVENTS + n:07d}", "status": "out_for_delivery",
              "occurred_at": _minutes_ago(10)} for n in range(200)]
    try:
        with CaptureQueriesContext(connection) as ctx:
            events_record_bulk(account=account, items=items)
        messages = Message.objects.count()
    finally:
        app.conf.update(task_always_eager=False)
    return {"sample_messages": messages, "queries_per_message": round(len(ctx.captured_queries) / max(messages, 1), 2)}


def _minutes_ago(minutes: int) -> str:
    """Events the bench sends happened just now: older ones would be stale news, never sent."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def end_to_end(account, shipments, fake: FakeProviders, worker_pids: list[int]) -> dict:
    from billing.models import Charge
    from messaging.models import Message, MessageState
    from tracking.services import events_record_bulk

    expected = EVENTS * len(CHANNELS)
    already = Message.objects.count()
    charges_before = Charge.objects.count()
    requests_before = fake.requests
    cpu_before, workers_cpu_before = busy_cpu_seconds(), tree_cpu_seconds(worker_pids)
    start = time.perf_counter()
    for offset in range(0, EVENTS, 1000):
        items = [{"carrier": "manual", "tracking_number": s.tracking_number, "status": "in_transit",
                  "occurred_at": _minutes_ago(5)} for s in shipments[offset:min(offset + 1000, EVENTS)]]
        events_record_bulk(account=account, items=items)
    ingested = time.perf_counter() - start
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(0.05)
        # Watching must not load the database it measures: the fake provider's counter until every
        # message has reached it, then the (indexed) queued rows and the charges.
        if fake.requests - requests_before < expected:
            continue
        if not Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SCHEDULED]).exists() and \
                Charge.objects.count() - charges_before >= EVENTS:
            break
    seconds = time.perf_counter() - start
    cpu_after, workers_cpu_after = busy_cpu_seconds(), tree_cpu_seconds(worker_pids)
    sent = Message.objects.filter(trigger_status="in_transit", state=MessageState.SENT).count()
    return {
        "bench": "dispatch", "events": EVENTS, "channels": list(CHANNELS), "workers": WORKERS, "pool": POOL, "concurrency": CONCURRENCY,
        "send_concurrency": int(os.environ.get("MESSAGE_SEND_CONCURRENCY", "16")), "whatsapp_rate": WHATSAPP_RATE,
        "policy": POLICY, "provider_latency_ms": PROVIDER_LATENCY_MS,
        "cpus": os.cpu_count(),
        "messages_expected": expected, "messages_accepted": sent,
        "charges": Charge.objects.filter(message__trigger_status="in_transit").count(),
        "provider_requests": fake.requests - requests_before, "ingest_seconds": round(ingested, 3),
        "seconds": round(seconds, 3), "events_per_second": round(EVENTS / seconds, 1),
        "messages_per_second": round(sent / seconds, 1), "messages_before": already,
        "cpu_ms_per_event": round((cpu_after - cpu_before) * 1000 / EVENTS, 3) if cpu_before is not None else None,
        "worker_cpu_ms_per_event": round((workers_cpu_after - workers_cpu_before) * 1000 / EVENTS, 3)
        if workers_cpu_before is not None else None,
        **latency_percentiles(),
        "messages_per_group": round(sent / max(Message.objects.filter(trigger_status="in_transit", sent_at__isnull=False)
                                               .values("sent_at").distinct().order_by().count(), 1), 1),
    }


def floor(account) -> dict:
    """Bulk inserts of the same rows (events, messages, charges): PostgreSQL's own pace."""
    from decimal import Decimal

    from billing.models import Charge
    from messaging.channels import channel_of
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
         for s in shipments for channel in CHANNELS], batch_size=2000)
    Charge.objects.bulk_create(
        [Charge(account=account, brand_id=m.brand_id, message=m, channel="whatsapp", unit_price=Decimal("0.14"),
                created_at=now) for m in messages if channel_of(m.channel).billable], batch_size=2000)
    seconds = time.perf_counter() - start
    return {"floor_seconds": round(seconds, 3), "floor_events_per_second": round(len(events) / seconds, 1),
            "floor_rows": len(events) + len(messages) + sum(channel_of(m.channel).billable for m in messages)}


if __name__ == "__main__":
    main()
