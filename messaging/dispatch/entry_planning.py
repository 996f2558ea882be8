"""Planning from tracking's status entries (its outbox of status changes, tracking.status_entries).

An entry is planned in one transaction that takes it (row lock, skipping rows another planner
holds), inserts its messages and marks it planned. A planner killed anywhere before its commit
leaves both undone: the entry stays unplanned and the sweeper plans it again; the unique
(shipment, status, occurrence, channel) constraint of messages keeps any replay a no-op. Two planners (the
task and the sweeper, or two sweepers) never take the same entry.

- `plan_entries`: the entries a planning task was given (right after the event's commit).
- `plan_due_entries`: the sweeper (beat, every minute): entries left unplanned for longer than
  GRACE, oldest first, in batches. A lost planning task therefore costs at most GRACE plus one
  beat period (about two minutes), whatever the broker's visibility timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from messaging.conversations.asks import asks_open_for_entries
from messaging.dispatch.planning import Plan, plan_and_claim
from tracking.status_entries import Entry, status_entries_mark_planned, status_entries_take_unplanned

# How long an entry waits for the task told about it before the sweeper plans it: well above the
# time from commit to a running task, so the sweeper seldom takes work a live task is about to do.
GRACE = timedelta(seconds=60)
BATCH = 250
# Batches per sweep: 5,000 entries a minute at most from one sweeper; a longer backlog is taken
# by the next beat ticks (and by concurrent sweepers: they skip each other's rows).
SWEEP_BATCHES = 20


def plan_entries(entry_ids: Iterable[int], *, claim_until: datetime | None) -> Plan:
    """Plan these entries (those still unplanned and not held by another planner). The new
    messages are inserted claimed until `claim_until` (see `plan_and_claim`): send them after
    this returns, the transaction being committed by then."""
    with transaction.atomic():
        return _plan(status_entries_take_unplanned(ids=entry_ids), claim_until=claim_until)


def plan_due_entries(*, now: datetime, enqueue_sends: Callable[[list[int]], None]) -> int:
    """The sweeper: plan the entries left unplanned since before `now - GRACE`, a batch per
    transaction; their messages go to `enqueue_sends` (ids of queued messages, unclaimed).
    Returns the number of entries planned."""
    taken = 0
    for _ in range(SWEEP_BATCHES):
        with transaction.atomic():
            entries = status_entries_take_unplanned(created_before=now - GRACE, limit=BATCH)
            plan = _plan(entries, claim_until=None)
        if plan.waiting:
            enqueue_sends(plan.waiting)
        taken += len(entries)
        if len(entries) < BATCH:
            break
    return taken


def _plan(entries: Sequence[Entry], *, claim_until: datetime | None) -> Plan:
    if not entries:
        return Plan()
    # Every entry is planned: planning decides which are news (an older passing one is superseded,
    # an actionable one is sent whatever came after it).
    plan = plan_and_claim(entries, claim_until=claim_until)
    # The questions these entries call for (cash on delivery, delivery rating): in the same
    # transaction, so a replanned entry neither loses nor doubles one.
    asks_open_for_entries(entries)
    status_entries_mark_planned(ids=[entry.id for entry in entries], now=timezone.now())
    return plan
