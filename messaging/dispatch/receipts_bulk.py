"""Delivery receipts in bulk: what `receipts.apply_receipt` does for each status, for a batch of
statuses in a constant number of queries when they are the common kind.

The common kind is a `sent` / `delivered` / `read` about a message whose acceptance is recorded
(its provider and provider id are stored): it only moves the message forward. For those, one
SELECT ... FOR UPDATE of every message the batch names (in id order, so two workers applying
overlapping batches wait for each other instead of deadlocking), the moves worked out in Python
from the locked rows exactly as consecutive `apply_receipt` calls would make them (same rank
rule, same first-time-wins times, `message.state_changed` for each step), and one UPDATE of the
moved rows. Every other status (a failure: fallback, opt-outs; a status that proves an
acceptance we have not recorded; a message named only by our id without its provider id) goes
through `apply_receipt` one by one, with all the statuses of its message, in their order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from messaging.dispatch.receipts import OUR_ID, apply_receipt, receipt_time
from messaging.models import STATE_RANK, Message, MessageState
from messaging.webhook_events import message_rows_publish
from messaging.webhooks import StatusUpdate
from webhooks_out.events import anyone_listening
from webhooks_out.models import EventType

ROW_FIELDS = (
    "pk",
    "provider",
    "provider_message_id",
    "state",
    "sent_at",
    "delivered_at",
    "read_at",
    "shipment_id",
    "brand_id",
    "channel",
    "trigger_status",
)
PUBLISHED_FIELDS = ("pk", "shipment_id", "brand_id", "channel", "trigger_status")


def apply_receipts(updates: Sequence[StatusUpdate], *, channel: str, provider: str = "") -> dict[str, int]:
    """Apply these status callbacks of one channel in order, as `apply_receipt` would one by one.
    Returns counts: moved in bulk, applied one by one, about no message we know."""
    rows = _locked_rows(updates, channel=channel)
    by_provider_id = {row["provider_message_id"]: row for row in rows.values() if row["provider_message_id"]}
    per_message: dict[int, list[tuple[int, StatusUpdate]]] = defaultdict(list)
    one_by_one: list[tuple[int, StatusUpdate]] = []
    slow_messages: set[int] = set()
    unknown = 0
    for position, update in enumerate(updates):
        targets = _targets(update, rows, by_provider_id)
        if not targets:
            unknown += 1  # apply_receipt would change nothing either
            continue
        if len(targets) > 1 or not _bulk_kind(update, targets[0]):
            one_by_one.append((position, update))
            slow_messages.update(row["pk"] for row in targets)
            continue
        per_message[targets[0]["pk"]].append((position, update))
    # A message with one status needing the careful path gets all its statuses that way, in order.
    for pk in slow_messages & per_message.keys():
        one_by_one.extend(per_message.pop(pk))
    one_by_one.sort(key=lambda item: item[0])
    moved = _move_all(
        {pk: rows[pk] for pk in per_message},
        {pk: [u for _, u in items] for pk, items in per_message.items()},
        now=timezone.now(),
    )
    for _, update in one_by_one:
        apply_receipt(update, channel=channel, provider=provider)
    return {"moved": moved, "one_by_one": len(one_by_one), "unknown": unknown}


def _locked_rows(updates: Sequence[StatusUpdate], *, channel: str) -> dict[int, dict]:
    """The messages the statuses name, locked in id order. Receipts act on single rows named by
    the provider, never for a tenant (see receipts._target)."""
    provider_ids = {u.provider_message_id for u in updates if u.provider_message_id}
    our_ids = {int(u.callback_data) for u in updates if OUR_ID.fullmatch(u.callback_data)}
    if not provider_ids and not our_ids:
        return {}
    found = (
        Message.objects.filter(channel=channel)
        .filter(Q(provider_message_id__in=provider_ids) | Q(pk__in=our_ids))
        .order_by("pk")
        .select_for_update()
        .values(*ROW_FIELDS)
    )
    return {row["pk"]: row for row in found}


def _targets(update: StatusUpdate, rows: dict[int, dict], by_provider_id: dict[str, dict]) -> list[dict]:
    found = {}
    if update.provider_message_id and update.provider_message_id in by_provider_id:
        row = by_provider_id[update.provider_message_id]
        found[row["pk"]] = row
    if OUR_ID.fullmatch(update.callback_data) and int(update.callback_data) in rows:
        found[int(update.callback_data)] = rows[int(update.callback_data)]
    return list(found.values())


def _bulk_kind(update: StatusUpdate, row: dict) -> bool:
    """A forward move only: no failure, an acceptance already recorded, the provider id stored."""
    return update.state != MessageState.FAILED and bool(row["provider"]) and bool(row["provider_message_id"])


def _lower(state: str) -> set[str]:
    rank = STATE_RANK[state]
    lower = {s for s, r in STATE_RANK.items() if r < rank}
    if state in (MessageState.DELIVERED, MessageState.READ):
        lower.add(MessageState.FAILED)
    return lower


def _steps(row: dict, updates: list[StatusUpdate], now: datetime) -> list[str]:
    """Move `row` (in place) through these statuses as apply_receipt's conditional UPDATEs would;
    the states it passed through."""
    steps = []
    for update in updates:
        rank = STATE_RANK.get(update.state)
        if not rank or row["state"] not in _lower(update.state):
            continue
        at = receipt_time(update.at, now)
        row["state"] = update.state
        row["sent_at"] = row["sent_at"] or at
        if rank >= STATE_RANK[MessageState.DELIVERED]:
            row["delivered_at"] = row["delivered_at"] or at
        if update.state == MessageState.READ:
            row["read_at"] = row["read_at"] or at
        steps.append(update.state)
    return steps


def _move_all(rows: dict[int, dict], per_message: dict[int, list[StatusUpdate]], *, now: datetime) -> int:
    steps = {pk: _steps(rows[pk], per_message[pk], now) for pk in sorted(rows)}
    moved = [rows[pk] for pk, passed in steps.items() if passed]
    if not moved:
        return 0
    _update(moved)
    if anyone_listening(EventType.MESSAGE_STATE_CHANGED):
        by_state: dict[str, list[dict]] = defaultdict(list)
        for row in moved:
            for state in steps[row["pk"]]:
                by_state[state].append({field: row[field] for field in PUBLISHED_FIELDS})
        for state, published in by_state.items():
            message_rows_publish(published, state)
    return len(moved)


def _update(moved: list[dict]) -> None:
    """One UPDATE of the moved rows (locked above) with their new state and times."""
    if connection.vendor != "postgresql":  # SQLite (make run)
        Message.objects.bulk_update(
            [
                Message(
                    pk=row["pk"],
                    state=row["state"],
                    sent_at=row["sent_at"],
                    delivered_at=row["delivered_at"],
                    read_at=row["read_at"],
                    claimed_until=None,
                )
                for row in moved
            ],
            ["state", "sent_at", "delivered_at", "read_at", "claimed_until"],
        )
        return
    values = ", ".join(["(%s::bigint, %s, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(moved))
    params = [
        p for row in moved for p in (row["pk"], row["state"], row["sent_at"], row["delivered_at"], row["read_at"])
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Message._meta.db_table} AS m SET state = v.state, sent_at = v.sent_at,"
            f" delivered_at = v.delivered_at, read_at = v.read_at, claimed_until = NULL"
            f" FROM (VALUES {values}) AS v(id, state, sent_at, delivered_at, read_at) WHERE m.id = v.id",
            params,
        )
