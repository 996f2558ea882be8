"""Bulk ingest throughput: >= 100,000 events through POST /api/v1/tracking-events/ on PostgreSQL.

Runs in-process (Django's test client, the real URL, authentication, serializers, services),
in a throwaway database created next to DATABASE_URL's and dropped afterwards. Prints one
JSON object: events_per_second and queries_per_event among others.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast .venv/bin/python bench/ingest.py

Options (environment): BENCH_EVENTS (100000), BENCH_BATCH (1000), BENCH_SHIPMENTS (20000).
"""

import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import throwaway_database  # noqa: E402

def main() -> None:
    with throwaway_database("ingest"):
        print(json.dumps(run()))


def run() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from brands.services import account_create, brand_create
    from tracking.models import Shipment
    from tracking.statuses import Status

    total = int(os.environ.get("BENCH_EVENTS", 100_000))
    batch = int(os.environ.get("BENCH_BATCH", 1000))
    shipment_count = int(os.environ.get("BENCH_SHIPMENTS", 20_000))

    account, _, raw_key = account_create(
        company_name="Bench Ingest B.V.", country="NL", plan="growth", email="bench-ingest@example.com"
    )
    brand = brand_create(account=account, name="Bench", slug="bench-ingest")
    Shipment.objects.bulk_create(
        (Shipment(brand=brand, carrier="manual", tracking_number=f"BENCH{i:07d}", to_country="NL",
                  tracking_token=f"bench-{i:07d}") for i in range(shipment_count)),
        batch_size=5000,
    )

    # Each call carries `batch` events of different shipments; every round moves each shipment one
    # step further in time (so statuses really change and signals are sent), wrapping around.
    journey = (Status.READY_TO_SHIP, Status.IN_TRANSIT, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY, Status.DELIVERED)
    start = datetime(2026, 6, 1, 6, 0, tzinfo=timezone.utc)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    def payload(call: int) -> str:
        first = (call * batch) % shipment_count
        rounds = (call * batch) // shipment_count
        return json.dumps([
            {
                "carrier": "manual",
                "tracking_number": f"BENCH{(first + i) % shipment_count:07d}",
                "status": journey[rounds % len(journey)],
                "occurred_at": (start + timedelta(minutes=10 * rounds)).isoformat(),
                "location": "Venlo distribution centre, NL",
                "description": "Bench event",
                "external_id": f"bench-{rounds}-{(first + i) % shipment_count}",
            }
            for i in range(batch)
        ])

    calls = -(-total // batch)
    bodies = [payload(call) for call in range(calls)]  # built before the clock starts
    accepted = duplicates = 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for body in bodies:
            response = client.post("/api/v1/tracking-events/", body, content_type="application/json")
            if response.status_code != 200:
                raise SystemExit(f"bulk call failed: {response.status_code} {response.content[:300]!r}")
            accepted += response.json()["accepted"]
            duplicates += response.json()["duplicates"]
        elapsed = time.perf_counter() - started
    events = calls * batch
    return {
        "bench": "ingest",
        "database": connection.vendor,
        "events": events,
        "calls": calls,
        "events_per_call": batch,
        "shipments": shipment_count,
        "accepted": accepted,
        "duplicates": duplicates,
        "seconds": round(elapsed, 3),
        "events_per_second": round(events / elapsed, 1),
        "queries": len(queries.captured_queries),
        "queries_per_call": round(len(queries.captured_queries) / calls, 2),
        "queries_per_event": round(len(queries.captured_queries) / events, 5),
    }


if __name__ == "__main__":
    main()
