"""The poller's pick-up query over 1,000,000 shipments on PostgreSQL: its plan and its time.

Inserts the shipments with one INSERT ... SELECT FROM generate_series (80 % finished, i.e.
next_poll_at null; 2 % due; the rest scheduled later; 10 % manual), in a throwaway database
created next to DATABASE_URL's and dropped afterwards, then runs EXPLAIN (ANALYZE, BUFFERS) of
exactly the query `tracking.polling.claim_due` sends. Prints one JSON object with the plan
text and whether it reads the partial index on next_poll_at.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast .venv/bin/python bench/poll_explain.py

Options (environment): BENCH_SHIPMENTS (1000000), BENCH_CLAIM (500).
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import throwaway_database  # noqa: E402

INDEX = "tracking_shipment_due_idx"


def main() -> None:
    with throwaway_database("poll_explain"):
        print(json.dumps(run()))


INSERT = """
INSERT INTO tracking_shipment (
    brand_id, carrier, tracking_number, order_number, recipient_name, recipient_phone, recipient_email,
    language, to_country, to_postal_code, expected_delivery, status, status_at, pickup_point, tracking_token,
    next_poll_at, poll_failures, last_polled_at, created_at
)
SELECT
    %(brand)s,
    CASE WHEN i %% 10 = 0 THEN 'manual' WHEN i %% 3 = 0 THEN 'ups' ELSE 'dhl' END,
    'BENCH' || lpad(i::text, 8, '0'), 'ORD' || i, '', '', '', 'en', 'NL', '', NULL,
    CASE WHEN i %% 100 < 80 THEN 'delivered' ELSE 'in_transit' END,
    now() - interval '1 day', '', 'bench-' || lpad(i::text, 8, '0'),  -- ordered keys: fast index inserts
    CASE
        WHEN i %% 10 = 0 OR i %% 100 < 80 THEN NULL                       -- manual, or finished
        WHEN i %% 100 < 82 THEN now() - (i %% 3600) * interval '1 second'  -- due
        ELSE now() + (i %% 86400) * interval '1 second'                   -- later
    END,
    0, NULL, now() - interval '3 days'
FROM generate_series(1, %(count)s) AS i
"""


def run() -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from brands.services import account_create, brand_create
    from tracking import polling
    from tracking.models import Shipment

    count = int(os.environ.get("BENCH_SHIPMENTS", 1_000_000))
    claim = int(os.environ.get("BENCH_CLAIM", 500))
    account, _, _ = account_create(company_name="Bench Poll B.V.", country="NL", plan="growth",
                                   email="bench-poll@example.com")
    brand = brand_create(account=account, name="Bench", slug="bench-poll")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(INSERT, {"brand": brand.pk, "count": count})
        cursor.execute("ANALYZE tracking_shipment")
    insert_seconds = time.perf_counter() - started

    now = timezone.now()
    due = polling.due_queryset(now=now).count()
    scheduled = Shipment.objects.filter(next_poll_at__isnull=False).count()
    query = polling.due_queryset(now=now).select_for_update(skip_locked=True).values_list("pk", "carrier")[:claim]
    with transaction.atomic():  # FOR UPDATE needs a transaction; rolled back: nothing stays locked
        sql, params = query.query.sql_with_params()
        plan = query.explain(analyze=True, buffers=True)
        started = time.perf_counter()
        claimed = polling.claim_due(now=now, limit=claim)
        claim_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)

    execution_ms = next(
        (float(line.split(":", 1)[1].strip().split()[0]) for line in plan.splitlines()
         if line.strip().startswith("Execution Time")), None,
    )
    return {
        "bench": "poll_explain",
        "database": connection.vendor,
        "shipments": count,
        "scheduled": scheduled,
        "due": due,
        "claim_limit": claim,
        "claimed": len(claimed),
        "insert_seconds": round(insert_seconds, 2),
        "query": _inline(sql, params),
        "plan": plan,
        "index": INDEX,
        "uses_next_poll_at_index": INDEX in plan,
        "seq_scan": "Seq Scan" in plan,
        "execution_ms": execution_ms,
        "claim_ms": round(claim_ms, 2),
    }


def _inline(sql: str, params) -> str:
    """The SQL as sent, parameters inlined by the driver (for reading, not for running)."""
    from django.db import connection

    with connection.cursor() as cursor:
        mogrify = getattr(cursor.cursor, "mogrify", None)
        return mogrify(sql, params) if mogrify else sql


if __name__ == "__main__":
    main()
