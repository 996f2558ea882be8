"""Status entries awaiting planning: tracking's outbox towards the apps that act on a status change.

An entry is written in the transaction of the event that moved the shipment
(`status_entries_record`, called by services._apply), so a committed change always leaves one:
whatever happens to the task that was told about it (lost, killed, never enqueued), the row says
what is still to be planned. messaging plans entries in a transaction that takes them
(`status_entries_take_unplanned`), inserts their messages and marks them planned
(`status_entries_mark_planned`): a planner killed before its commit leaves them unplanned, for a
sweeper. tracking knows nothing of messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count

from tracking.bulk import insert_rows
from tracking.models import StatusEntry

ENTRY_FIELDS = ("shipment_id", "status", "event_id", "occurrence")


class Entry(NamedTuple):
    id: int
    shipment_id: int
    status: str
    occurrence: int
    occurred_at: datetime  # when the event that entered the status happened


def status_entries_record(entries: Sequence[tuple[int, str, int]]) -> list[int]:
    """New entries, (shipment id, status, event id) each, in one statement; returns their ids.
    Call in the transaction that moved the shipments, which holds their row locks: the count of
    earlier entries that numbers each one's `occurrence` cannot change under it."""
    if not entries:
        return []
    earlier = Counter()
    for shipment_id, status, count in (
        StatusEntry.objects.filter(shipment_id__in={e[0] for e in entries}, status__in={e[1] for e in entries})
        .values_list("shipment_id", "status").annotate(count=Count("pk")).order_by()
    ):
        earlier[(shipment_id, status)] = count
    rows = []
    for shipment_id, status, event_id in entries:
        earlier[(shipment_id, status)] += 1
        rows.append((shipment_id, status, event_id, earlier[(shipment_id, status)]))
    return [pk for (pk,) in insert_rows(StatusEntry, ENTRY_FIELDS, rows, returning=("id",))]


def status_entries_take_unplanned(
    *, ids: Iterable[int] | None = None, created_before: datetime | None = None, limit: int | None = None
) -> list[Entry]:
    """Unplanned entries, oldest first, locked until the caller's transaction ends (call inside
    `transaction.atomic()`). Rows another transaction holds are skipped, not waited for: it is
    planning them, and either marks them planned or, if it dies, leaves them to a later taker.
    So two planners never take the same entry.

    `ids`: among these entries; `created_before`: left unplanned since before then (the partial
    index of unplanned rows: the cost follows the rows due, not the rows stored)."""
    rows = StatusEntry.objects.filter(planned_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if created_before is not None:
        rows = rows.filter(created_at__lte=created_before)
    # SQLite has no row locks (Django leaves the clause out there): the unique constraint of the
    # planned rows and the conditional update below keep a double planning harmless.
    rows = rows.order_by("created_at", "pk").select_for_update(skip_locked=True, of=("self",))
    fields = ("pk", "shipment_id", "status", "occurrence", "event__occurred_at")
    return [Entry(*row) for row in rows.values_list(*fields)[:limit]]


def status_entries_mark_planned(*, ids: Sequence[int], now: datetime) -> int:
    """The entries' messages are planned: in the transaction that planned them."""
    return StatusEntry.objects.filter(pk__in=list(ids), planned_at__isnull=True).update(planned_at=now)
