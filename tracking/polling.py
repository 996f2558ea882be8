"""Polling carriers: claim the due shipments, ask the carrier per batch, record, reschedule.

The claim is the lock against double polling: it moves `next_poll_at` forward by a lease
(TRACKING_POLL_LEASE_SECONDS, 15 min), inside the transaction that found the rows due, so no
other dispatcher sees them due again. On PostgreSQL the rows are picked with
`SELECT ... FOR UPDATE SKIP LOCKED` (concurrent dispatchers take different rows without
waiting); SQLite has no row locks, so each row is claimed by a conditional UPDATE whose row
count says who won. The batch task then writes the real next poll. If the task is lost (broker
down, worker killed), the lease simply expires and the shipment is due again: the schedule is
never lost, and a batch task is not started after its lease (Celery `expires`).

No transaction is held while a carrier is called; the answer is recorded and the schedule
written in one short transaction holding the shipments' row locks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from tracking import schedule, services
from tracking.bulk import bulk_update_rows
from tracking.carriers import CARRIER_CODES, CarrierError, FetchResult, TrackingQuery, get_adapter
from tracking.carriers.base import as_utc
from tracking.carriers.registry import adapter_class
from tracking.carriers.sandbox import SandboxAdapter, scenario_for
from tracking.models import Shipment, Source

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def lease() -> timedelta:
    return timedelta(seconds=_setting("TRACKING_POLL_LEASE_SECONDS", 15 * 60))


def claim_size() -> int:
    return _setting("TRACKING_POLL_CLAIM_SIZE", 500)


def batch_size() -> int:
    return _setting("TRACKING_POLL_BATCH_SIZE", 50)


def max_claims_per_run() -> int:
    return _setting("TRACKING_POLL_MAX_CLAIMS_PER_RUN", 40)


def polled_carriers() -> list[str]:
    return [code for code in CARRIER_CODES if adapter_class(code).polled]


def due_queryset(*, now: datetime):
    """The pick-up query: due shipments of polled carriers, most overdue first. It reads the
    partial index on next_poll_at, so its cost follows the number due, not the number stored."""
    return Shipment.objects.filter(next_poll_at__lte=now, carrier__in=polled_carriers()).order_by("next_poll_at")


def claim_due(*, now: datetime, limit: int | None = None) -> list[tuple[int, str]]:
    """Claim up to `limit` due shipments: [(id, carrier)]. Two claims never return the same row."""
    limit = limit or claim_size()
    lease_until = now + lease()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            rows = list(due_queryset(now=now).select_for_update(skip_locked=True).values_list("pk", "carrier")[:limit])
            if rows:
                Shipment.objects.filter(pk__in=[pk for pk, _ in rows]).update(next_poll_at=lease_until)
            return rows
        won = []
        for pk, carrier, due_at in due_queryset(now=now).values_list("pk", "carrier", "next_poll_at")[:limit]:
            if Shipment.objects.filter(pk=pk, next_poll_at=due_at).update(next_poll_at=lease_until):
                won.append((pk, carrier))
        return won


def batches(rows: list[tuple[int, str]], size: int | None = None) -> list[tuple[str, list[int]]]:
    """Claimed rows grouped per carrier, cut into batches of at most `size` ids."""
    size = size or batch_size()
    per_carrier: dict[str, list[int]] = defaultdict(list)
    for pk, carrier in rows:
        per_carrier[carrier].append(pk)
    return [(carrier, ids[i:i + size]) for carrier, ids in per_carrier.items() for i in range(0, len(ids), size)]


def dispatch_due(*, now: datetime, enqueue: Callable[[str, list[int]], None]) -> int:
    """Claim what is due, in chunks, and enqueue one batch per carrier after each claim commits."""
    claimed = 0
    for _ in range(max_claims_per_run()):
        with transaction.atomic():
            rows = claim_due(now=now)
            for carrier, ids in batches(rows):
                transaction.on_commit(lambda carrier=carrier, ids=ids: _enqueue(enqueue, carrier, ids))
        claimed += len(rows)
        if len(rows) < claim_size():
            break
    return claimed


def _enqueue(enqueue: Callable[[str, list[int]], None], carrier: str, ids: list[int]) -> None:
    try:
        enqueue(carrier, ids)
    except Exception:  # noqa: BLE001 - the broker may fail in many ways; the lease covers it
        logger.exception("could not enqueue a %s poll batch of %d shipments; they are due again after the lease",
                         carrier, len(ids))


def _query(shipment: Shipment) -> TrackingQuery:
    return TrackingQuery(
        tracking_number=shipment.tracking_number,
        started_at=shipment.created_at,
        destination_country=shipment.to_country.code or "",
        postal_code=shipment.to_postal_code,
    )


def _fetch(adapter, carrier: str, queries: list[TrackingQuery], now: datetime) -> list[FetchResult]:
    """The adapter's answers; a broken adapter (it must not raise) becomes an error per query."""
    try:
        results = adapter.fetch(queries, now=now)
        if len(results) != len(queries):
            raise CarrierError(f"{carrier} answered {len(results)} results for {len(queries)} queries",
                               kind="bad_response")
        return results
    except Exception as exc:  # noqa: BLE001 - whatever happened, every claimed shipment is rescheduled
        logger.exception("%s adapter failed on a batch of %d", carrier, len(queries))
        error = exc if isinstance(exc, CarrierError) else CarrierError(f"{carrier} adapter failed", kind="bad_response")
        return [FetchResult(q.tracking_number, error=error) for q in queries]


def sandbox_next_step(adapter: SandboxAdapter, shipment: Shipment, *, now: datetime) -> datetime | None:
    """When the sandbox journey of this shipment takes its next step (None: the story is over)."""
    start, step = as_utc(shipment.created_at), timedelta(seconds=adapter.step_seconds)
    for journey_step in scenario_for(shipment.tracking_number).steps:
        if start + journey_step.offset * step > now:
            return start + journey_step.offset * step
    return None


def poll_batch(carrier: str, shipment_ids: list[int], *, now: datetime) -> services.IngestResult | None:
    """Ask the carrier about these shipments (re-read: ids only), record, reschedule."""
    adapter = get_adapter(carrier)
    shipments = list(
        Shipment.objects.filter(pk__in=shipment_ids, carrier=carrier, next_poll_at__isnull=False).order_by("pk")
    )
    if not shipments:
        return None
    results = dict(zip((s.pk for s in shipments), _fetch(adapter, carrier, [_query(s) for s in shipments], now)))
    events = {
        pk: [services.event_from_carrier(e) for e in result.events]
        for pk, result in results.items()
        if result.error is None and result.events
    }
    with transaction.atomic():
        outcome, locked = services.shipment_events_record(shipment_ids=list(results), events=events, source=Source.POLL)
        for shipment in locked:
            if shipment.next_poll_at is None:  # stopped while the carrier answered (its brand was deleted)
                continue
            _reschedule(shipment, results[shipment.pk], adapter=adapter, now=now)
        bulk_update_rows(locked, ["next_poll_at", "poll_failures", "last_polled_at", "expected_delivery"])
    return outcome


def _reschedule(shipment: Shipment, result: FetchResult, *, adapter, now: datetime) -> None:
    shipment.last_polled_at = now
    if result.error is not None:
        shipment.poll_failures += 1
        shipment.next_poll_at = schedule.after_error(shipment, result.error, now=now)
        logger.info("poll of %s failed (%s, %d in a row): next at %s", shipment, result.error.kind,
                    shipment.poll_failures, shipment.next_poll_at)
        return
    shipment.poll_failures = 0
    if result.expected_delivery is not None:
        shipment.expected_delivery = result.expected_delivery
    next_step = sandbox_next_step(adapter, shipment, now=now) if isinstance(adapter, SandboxAdapter) else None
    shipment.next_poll_at = schedule.after_success(shipment, now=now, next_step_at=next_step)
