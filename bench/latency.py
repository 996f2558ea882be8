"""Latency under load: a steady 200 status changes a second, from the API to the providers.

An HTTP client posts 20 events to the bulk endpoint (POST /api/v1/tracking-events/, over
gunicorn, as in production) every 100 ms for BENCH_LATENCY_SECONDS (60), open loop: each call
leaves on its schedule whatever the previous ones are doing (their threads are separate), and
the slip behind the schedule is measured. Each event moves one shipment into `in_transit`, with
WhatsApp and e-mail on: two messages per event. Real Celery workers (2 x prefork 2, as
bench/dispatch.py) and one beat plan and send them to a fake WhatsApp Cloud API and a fake SMTP
server on loopback (bench/fake_providers.py), which note the moment each message reaches them.

Latency of a message: from the client's send time of its event's call to the provider's receipt
of the message (the fake's clock; same machine, same clock). Printed per channel (p50, p95,
p99, max), with the loss (events stored whose two messages did not both reach the providers
within DRAIN_SECONDS of the last call, and messages that reached them twice) and, to see where
the time goes, the stages of each message from the database's own timestamps and the workers'
task trace (bench/latency_trace.py): call sent -> event stored (the status entry's created_at)
-> its planning task started -> message planned (the message's created_at, inserted by the
planning task) -> provider receipt -> acceptance recorded (sent_at); the runs of each task; the
CPU time of the API's and the workers' processes per event; the SMTP sessions opened. The machine's load average is printed with the numbers: on a
shared machine they say as much about the neighbours as about Parcelcast.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/latency.py

Options (environment): BENCH_LATENCY_SECONDS (60; 10 for a quick look), BENCH_LATENCY_RATE (200
events/s), BENCH_LATENCY_INTERVAL (0.1 s between calls), BENCH_WORKERS (2), BENCH_CONCURRENCY
(2), BENCH_WHATSAPP_RATE (1000 messages/s: the business number upgraded to Meta's highest tier;
at 200 events/s a lower rate makes the latency pacing's, by design), BENCH_WEB_WORKERS (2
gunicorn workers).
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common
from bench.dispatch import tree_cpu_seconds
from bench.fake_providers import FakeProviders

SECONDS = float(os.environ.get("BENCH_LATENCY_SECONDS", "60"))
RATE = int(os.environ.get("BENCH_LATENCY_RATE", "200"))
INTERVAL = float(os.environ.get("BENCH_LATENCY_INTERVAL", "0.1"))
PER_CALL = max(1, round(RATE * INTERVAL))
CALLS = max(1, round(SECONDS / INTERVAL))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONCURRENCY = os.environ.get("BENCH_CONCURRENCY", "2")
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "2")
WHATSAPP_RATE = int(os.environ.get("BENCH_WHATSAPP_RATE", "1000"))
CHANNELS = ("whatsapp", "email")
# After the last call, how long the providers may take to receive every message before the rest
# counts as lost.
DRAIN_SECONDS = 120
TARGET_P95_SECONDS = 1.0


def main() -> None:
    common.require_postgres_url("latency")
    broker = common.require_redis_url("latency")
    load_before = os.getloadavg()
    with FakeProviders(record=True) as fake:
        os.environ.update({
            "WHATSAPP_ACCESS_TOKEN": "bench", "WHATSAPP_PHONE_NUMBER_ID": "1000", "WHATSAPP_API_BASE_URL": fake.base_url,
            "WHATSAPP_MESSAGES_PER_SECOND": str(WHATSAPP_RATE), "WHATSAPP_MESSAGING_LIMIT": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{fake.smtp_port}",
        })
        with common.throwaway_database("latency") as bench_db:
            from config.celery import app

            app.conf.update(task_always_eager=False, broker_url=broker)
            app.connection_for_write().default_channel.client.flushdb()
            raw_key, shipments = seed()
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
                   "SECRET_KEY": "bench-" + secrets.token_hex(24), "ALLOWED_HOSTS": "localhost,127.0.0.1",
                   "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{bench_db}",
                   "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
            trace_dir = tempfile.mkdtemp(prefix="parcelcast-latency-trace-")
            env["BENCH_TRACE_DIR"] = trace_dir
            port = free_port()
            quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            processes = [subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--pool", "prefork",
                 "--concurrency", CONCURRENCY, "--prefetch-multiplier", "1", "-n", f"latency{n}@%h",
                 "--without-gossip", "--without-mingle", "--loglevel", "WARNING", "--include", "bench.latency_trace"], **quiet)
                for n in range(WORKERS)]
            schedule_file = f"/tmp/parcelcast-bench-latency-{os.getpid()}"
            processes.append(subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "config", "beat", "-s", schedule_file, "--loglevel", "WARNING"],
                **quiet))
            processes.append(subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", WEB_WORKERS,
                 "--preload"],
                **quiet))
            try:
                # Every process ready before the clock starts: on a busy machine Django's start-up
                # alone can take longer than a fixed pause.
                wait_for_web(f"http://127.0.0.1:{port}")
                wait_for_workers(app, WORKERS)
                result = run(f"http://127.0.0.1:{port}", raw_key, shipments, fake, trace_dir,
                             web_pid=processes[-1].pid, worker_pids=[w.pid for w in processes[:WORKERS]])
            finally:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.wait(timeout=30)
                for suffix in ("", ".db", ".dat", ".dir", ".bak"):
                    Path(schedule_file + suffix).unlink(missing_ok=True)
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_web(base_url: str) -> None:
    """gunicorn loads the application before it forks its workers (--preload): once the API
    answers, every worker can."""
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base_url}/api/v1/tracking-events/", headers={"X-Forwarded-Proto": "https"}, timeout=5,
                         allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def wait_for_workers(app, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0)) >= count:
            return
    raise RuntimeError("the Celery workers did not start")


def seed() -> tuple[str, list[str]]:
    from brands.services import account_create, brand_create
    from messaging.services.consent import whatsapp_consent_give
    from messaging.services.notifications import channel_document_replace
    from tracking.models import Shipment

    account, _, raw_key = account_create(company_name="Latency B.V.", country="NL", plan="growth",
                                         email="latency@example.com")
    brand = brand_create(account=account, name="Latency", slug="latency", whatsapp_number="+31612345678")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="bench")
    for channel in CHANNELS:
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    rows = [
        Shipment(brand=brand, carrier="manual", tracking_number=f"LAT{n:07d}", order_number=f"{n}",
                 recipient_name="Sanne", recipient_phone=f"+3162{n % 10_000_000:07d}",
                 recipient_email=f"shopper{n}@example.com", to_country="NL", tracking_token=secrets.token_urlsafe(18))
        for n in range(CALLS * PER_CALL)
    ]
    Shipment.objects.bulk_create(rows, batch_size=2000)
    return raw_key, [row.tracking_number for row in rows]


def run(base_url: str, raw_key: str, shipments: list[str], fake: FakeProviders, trace_dir: str, *,
        web_pid: int, worker_pids: list[int]) -> dict:
    import requests

    happened = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    bodies = [json.dumps([{"carrier": "manual", "tracking_number": number, "status": "in_transit",
                           "occurred_at": happened, "external_id": f"lat-{number}"}
                          for number in shipments[call * PER_CALL:(call + 1) * PER_CALL]]) for call in range(CALLS)]
    headers = {"Authorization": f"Bearer {raw_key}", "Content-Type": "application/json",
               "X-Forwarded-Proto": "https"}  # as the TLS proxy in front of gunicorn says
    local = threading.local()
    calls: list[dict | None] = [None] * CALLS

    def post(call: int, due: float) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        slip, sent = time.monotonic() - due, time.time()
        try:
            answer = session.post(f"{base_url}/api/v1/tracking-events/", data=bodies[call], headers=headers, timeout=60)
            status, accepted = answer.status_code, answer.json().get("accepted", 0) if answer.ok else 0
        except requests.RequestException as exc:
            status, accepted = type(exc).__name__, 0
        calls[call] = {"call": call, "sent": sent, "slip": slip, "seconds": time.time() - sent, "status": status,
                       "accepted": accepted}

    expected = CALLS * PER_CALL * len(CHANNELS)
    before = fake.requests
    # Open loop: each call on its own thread, started on schedule whatever the earlier calls do
    # (a pool would make a slow server slow the schedule down); the slip is the thread's lateness.
    threads = []
    cpu_before = (tree_cpu_seconds([web_pid]), tree_cpu_seconds(worker_pids))
    start = time.monotonic() + 0.2
    for call in range(CALLS):
        due = start + call * INTERVAL
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        threads.append(threading.Thread(target=post, args=(call, due), daemon=True))
        threads[-1].start()
    for thread in threads:
        thread.join(timeout=120)
    sending_ended = time.monotonic()
    deadline = sending_ended + DRAIN_SECONDS
    while fake.requests - before < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # duplicates, if any, would come now
    drained = time.monotonic() - sending_ended
    cpu = (tree_cpu_seconds([web_pid]), tree_cpu_seconds(worker_pids))
    events = CALLS * PER_CALL
    return {"bench": "latency", "seconds": SECONDS, "events_per_second": RATE, "events_per_call": PER_CALL,
            "interval_seconds": INTERVAL, "workers": WORKERS, "concurrency": CONCURRENCY,
            "web_workers": int(WEB_WORKERS), "whatsapp_rate": WHATSAPP_RATE,
            "send_concurrency": int(os.environ.get("MESSAGE_SEND_CONCURRENCY", "16")), "cpus": os.cpu_count(),
            "drain_seconds_after_last_call": round(drained, 2),
            # CPU time of the API's and the workers' processes per event: what the pipeline costs,
            # which the neighbours' load hardly changes (unlike the latencies).
            "web_cpu_ms_per_event": round((cpu[0] - cpu_before[0]) * 1000 / events, 3),
            "worker_cpu_ms_per_event": round((cpu[1] - cpu_before[1]) * 1000 / events, 3),
            **measure([c for c in calls if c is not None], shipments, fake.received(), tasks(trace_dir))}


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    values = sorted(values)

    def at(q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 3)

    return {"n": len(values), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": round(values[-1], 3)}


def tasks(trace_dir: str) -> list[dict]:
    """The workers' task runs (bench/latency_trace.py)."""
    found = []
    for path in Path(trace_dir).glob("tasks-*.jsonl"):
        found.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
        path.unlink()
    Path(trace_dir).rmdir()
    return found


def measure(calls: list[dict], shipments: list[str], received: dict, runs: list[dict]) -> dict:
    from messaging.models import Message
    from tracking.models import StatusEntry

    # Tracking number -> the client's send time of its event's call (call k carries the k-th 20).
    sent_at = {number: call["sent"] for call in calls
               for number in shipments[call["call"] * PER_CALL:(call["call"] + 1) * PER_CALL]}
    taken: dict[int, float] = {}
    duplicates = 0
    for _channel, message_id, at in received["messages"]:
        if message_id in taken:
            duplicates += 1
        else:
            taken[message_id] = at
    messages = list(Message.objects.filter(trigger_status="in_transit").values_list(
        "pk", "channel", "shipment__tracking_number", "shipment_id", "state", "created_at", "sent_at"))
    entry_rows = StatusEntry.objects.filter(status="in_transit").values_list("pk", "shipment_id", "created_at")
    entries = {shipment_id: created.timestamp() for _, shipment_id, created in entry_rows}
    # When the planning task given an entry started (the first one, if the entry was given twice).
    planning_started: dict[int, float] = {}
    entry_of = {pk: shipment_id for pk, shipment_id, _ in entry_rows}
    for run in runs:
        if run["task"] == "plan_messages":
            for entry_id in run["ids"]:
                shipment_id = entry_of.get(entry_id)
                if shipment_id is not None:
                    planning_started[shipment_id] = min(run["start"], planning_started.get(shipment_id, run["start"]))
    latency = {channel: [] for channel in CHANNELS}
    stages = {"call_to_stored": [], "stored_to_planning_started": [], "planning_started_to_planned": [],
              "planned_to_provider": [], "provider_to_recorded": []}
    reached: dict[str, int] = {}
    for pk, channel, number, shipment_id, _state, created, sent in messages:
        if pk not in taken or number not in sent_at:
            continue
        reached[number] = reached.get(number, 0) + 1
        latency[channel].append(taken[pk] - sent_at[number])
        stored = entries.get(shipment_id)
        if stored is not None:
            stages["call_to_stored"].append(stored - sent_at[number])
        started = planning_started.get(shipment_id)
        if stored is not None and started is not None:
            stages["stored_to_planning_started"].append(started - stored)
            stages["planning_started_to_planned"].append(created.timestamp() - started)
        stages["planned_to_provider"].append(taken[pk] - created.timestamp())
        if sent is not None:
            stages["provider_to_recorded"].append(sent.timestamp() - taken[pk])
    events_sent = len(sent_at)
    events_accepted = sum(c["accepted"] for c in calls)
    # Lost or late: an event the API stored whose two messages did not both reach the providers
    # within DRAIN_SECONDS of the last call.
    stored_numbers = set(StatusEntry.objects.filter(status="in_transit").values_list("shipment__tracking_number",
                                                                                      flat=True))
    lost = [n for n in sent_at if n in stored_numbers and reached.get(n, 0) < len(CHANNELS)]
    everything = [x for values in latency.values() for x in values]
    p95 = percentiles(everything).get("p95")
    return {
        "events_sent": events_sent, "events_accepted_by_api": events_accepted,
        "calls": len(calls), "calls_failed": sum(1 for c in calls if c["status"] != 200),
        "call_seconds": percentiles([c["seconds"] for c in calls]),
        "schedule_slip_seconds": percentiles([c["slip"] for c in calls]),
        "messages_expected": events_sent * len(CHANNELS), "messages_received_by_providers": len(taken),
        "messages_received_twice": duplicates, "smtp_sessions": received["smtp_sessions"],
        "messages_sent_in_db": sum(1 for m in messages if m[4] == "sent"),
        "events_stored": len(stored_numbers), "events_lost_or_late": len(lost),
        "latency_seconds": {"all": percentiles(everything), **{c: percentiles(v) for c, v in latency.items()}},
        "stages_seconds": {name: percentiles(values) for name, values in stages.items()},
        "tasks": {name: {"runs": len(durations), "seconds": percentiles(durations)} for name, durations in
                  _by_task(runs).items()},
        "target": {"p95_seconds": TARGET_P95_SECONDS, "met": p95 is not None and p95 <= TARGET_P95_SECONDS
                   and not lost and not duplicates},
    }


def _by_task(runs: list[dict]) -> dict[str, list[float]]:
    durations: dict[str, list[float]] = {}
    for run in runs:
        durations.setdefault(run["task"], []).append(run["end"] - run["start"])
    return durations


if __name__ == "__main__":
    main()
