"""The metrics endpoint's message counts over 10,000,000 messages on PostgreSQL: plans and times.

Inserts the messages with one INSERT ... SELECT FROM generate_series, in created_at order over 90
days (as a live table grows): the last day's rows sent, delivered, read, failed or suppressed,
BENCH_QUEUED queued and BENCH_SCHEDULED scheduled among the newest, everything older finished. Then
runs EXPLAIN (ANALYZE, BUFFERS) of each query `messaging.metrics.MessageStateCollector` sends, times
a whole collect(), and does the same once more without the BRIN index on created_at, to show what
it buys. Throwaway database next to DATABASE_URL's, dropped afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast .venv/bin/python bench/metrics_explain.py

Options (environment): BENCH_MESSAGES (10000000), BENCH_QUEUED (2000), BENCH_SCHEDULED (500).
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import throwaway_database

BRIN = "messaging_message_created_brin"
DAYS = 90

# Row i of n is created at now - 90 days * (n - i) / n: ids and created_at grow together.
# Session messages: the one-per-status-entry constraint is on notifications only.
INSERT = """
INSERT INTO messaging_message (
    shipment_id, brand_id, channel, kind, trigger_status, occurrence, language, recipient, subject, body,
    html, whatsapp_template, whatsapp_parameters, whatsapp_language, whatsapp_header_image, unsubscribe_url,
    state, error_code, error_message, provider, provider_message_id, currency, attempts, created_at
)
SELECT
    %(shipment)s, %(brand)s,
    CASE WHEN i %% 10 < 6 THEN 'whatsapp' WHEN i %% 10 < 8 THEN 'sms' ELSE 'email' END,
    'session', 'in_transit', 0, 'en', '+3161234' || lpad((i %% 10000)::text, 4, '0'), '', 'Your parcel is on its way',
    '', '', '[]', '', '', '',
    CASE
        WHEN i > %(count)s - %(queued)s THEN 'queued'
        WHEN i > %(count)s - %(queued)s - %(scheduled)s THEN 'scheduled'
        WHEN i %% 100 < 5 THEN 'sent'
        WHEN i %% 100 < 60 THEN 'delivered'
        WHEN i %% 100 < 85 THEN 'read'
        WHEN i %% 100 < 92 THEN 'failed'
        ELSE 'suppressed'
    END,
    '', '', 'sandbox', '', '', 1,
    now() - interval '%(days)s days' * (%(count)s - i)::float8 / %(count)s
FROM generate_series(1, %(count)s) AS i
"""


def main() -> None:
    with throwaway_database("metrics_explain"):
        print(json.dumps(run()))


def run() -> dict:
    from django.db import connection
    from django.utils import timezone

    from brands.services import account_create, brand_create
    from messaging import metrics
    from messaging.models import MessageState
    from tracking.models import Shipment

    count = int(os.environ.get("BENCH_MESSAGES", "10000000"))
    queued = int(os.environ.get("BENCH_QUEUED", "2000"))
    scheduled = int(os.environ.get("BENCH_SCHEDULED", "500"))
    account, _, _ = account_create(
        company_name="Bench Metrics B.V.", country="NL", plan="growth", email="bench-metrics@example.com"
    )
    brand = brand_create(account=account, name="Bench", slug="bench-metrics")
    shipment = Shipment.objects.create(
        brand=brand, carrier="sandbox", tracking_number="BENCHMETRICS", tracking_token="bench-metrics"
    )

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The rows' foreign keys point at one brand and one shipment: their checks (two deferred
        # triggers per row, run at the end of the statement) are not what this bench measures.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            INSERT,
            {
                "shipment": shipment.pk,
                "brand": brand.pk,
                "count": count,
                "queued": queued,
                "scheduled": scheduled,
                "days": DAYS,
            },
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM ANALYZE messaging_message")
        cursor.execute("SELECT pg_relation_size('messaging_message'), pg_relation_size(%s)", [BRIN])
        table_bytes, brin_bytes = cursor.fetchone()
    insert_seconds = time.perf_counter() - started

    since = timezone.now() - metrics.RECENT_WINDOW
    queries = {  # exactly the collector's
        "queued": metrics.backlog_counts(MessageState.QUEUED),
        "scheduled": metrics.backlog_counts(MessageState.SCHEDULED),
        "recent": metrics.recent_counts(since=since),
    }

    with_brin = _measure(queries)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {BRIN}")
    without_brin = _measure(queries)
    recent_rows = sum(row["n"] for row in metrics.recent_counts(since=since))
    return {
        "bench": "metrics_explain",
        "database": connection.vendor,
        "messages": count,
        "days": DAYS,
        "recent_rows": recent_rows,
        "queued": queued,
        "scheduled": scheduled,
        "insert_seconds": round(insert_seconds, 1),
        "table_mb": round(table_bytes / 2**20, 1),
        "brin_kb": round(brin_bytes / 2**10, 1),
        "with_brin": with_brin,
        "without_brin": without_brin,
    }


def _measure(queries) -> dict:
    from django.db import connection, transaction

    from messaging.metrics import MessageStateCollector

    # The day's count with PostgreSQL's JIT on, as a plain query would run; the collector turns it off.
    result = {"recent_jit_on_ms": _execution_ms(queries["recent"].explain(analyze=True))}
    for name, query in queries.items():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as the collector runs them
            plan = query.explain(analyze=True, buffers=True)
        result[name] = {"plan": plan, "execution_ms": _execution_ms(plan), "seq_scan": "Seq Scan" in plan}
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        list(MessageStateCollector().collect())
        timings.append((time.perf_counter() - started) * 1000)
    result["collect_ms"] = round(min(timings), 1)
    return result


def _execution_ms(plan: str):
    return next(
        (
            float(line.split(":", 1)[1].strip().split()[0])
            for line in plan.splitlines()
            if line.strip().startswith("Execution Time")
        ),
        None,
    )


if __name__ == "__main__":
    main()
