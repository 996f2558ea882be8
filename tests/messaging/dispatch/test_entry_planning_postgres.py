"""The planning sweeper under real concurrency (PostgreSQL: runs for real in CI): two sweepers at
once take different entries without waiting, and the sweeper's pick-up reads the partial index."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.dispatch import entry_planning
from messaging.models import Message
from tests.conftest import require_postgres
from tests.factories import ShipmentFactory, StatusEntryFactory
from tracking.models import StatusEntry
from tracking.status_entries import status_entries_take_unplanned

pytestmark = pytest.mark.postgres


def due_entries(brand, count: int) -> list[StatusEntry]:
    shipments = ShipmentFactory.create_batch(count, brand=brand, status="delivered")
    entries = [StatusEntryFactory(shipment=shipment, status="delivered") for shipment in shipments]
    StatusEntry.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    return entries


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_never_plan_the_same_entries(notifying_brand, monkeypatch):
    require_postgres()
    entries = due_entries(notifying_brand, 10)
    monkeypatch.setattr(entry_planning, "BATCH", 6)
    first_holds_its_batch, second_done = threading.Event(), threading.Event()
    real_plan = entry_planning.plan_and_claim
    planned_by: dict[str, list[int]] = {"first": [], "second": []}
    errors: list[BaseException] = []

    def plan_and_claim(changes, **kwargs):
        name = threading.current_thread().name
        changes = list(changes)
        planned_by[name] += [entry.shipment_id for entry in changes]
        plan = real_plan(changes, **kwargs)
        if name == "first" and not first_holds_its_batch.is_set():
            # inside the first sweeper's transaction: its entries stay locked until the second is done
            first_holds_its_batch.set()
            assert second_done.wait(timeout=30), "the second sweeper waited for the first one's locks"
        return plan

    def sweeper():
        try:
            if threading.current_thread().name == "second":
                assert first_holds_its_batch.wait(timeout=30)
            entry_planning.plan_due_entries(now=timezone.now(), enqueue_sends=lambda ids: None)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
            first_holds_its_batch.set()
        finally:
            if threading.current_thread().name == "second":
                second_done.set()
            connection.close()

    with mock.patch.object(entry_planning, "plan_and_claim", side_effect=plan_and_claim):
        threads = [threading.Thread(target=sweeper, name=name) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not errors, errors
    first, second = set(planned_by["first"]), set(planned_by["second"])
    assert len(first) == 6 and len(second) == 4 and first.isdisjoint(second)
    assert first | second == {entry.shipment_id for entry in entries}
    assert not StatusEntry.objects.filter(planned_at__isnull=True).exists()
    assert Message.objects.count() == 30  # three channels each, once


@pytest.mark.django_db
def test_the_sweeper_finds_due_entries_through_the_unplanned_index(brand):
    require_postgres()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        status_entries_take_unplanned(created_before=timezone.now(), limit=entry_planning.BATCH)
    (sql,) = [q["sql"] for q in queries.captured_queries if "tracking_statusentry" in q["sql"]]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask what an index would do
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "SKIP LOCKED" in sql and "tracking_entry_unplanned_idx" in plan, plan
