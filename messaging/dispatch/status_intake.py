"""Status webhooks in two steps: recorded in the request, applied in bulk by workers.

1. Intake (`intake_record`, in the webhook's request, after its signature is checked): the
   parsed statuses become StatusIntake rows in ONE `INSERT ... ON CONFLICT DO NOTHING`. The
   view runs in autocommit (ATOMIC_REQUESTS is off), so they are committed when the provider
   gets its 200: a webhook accepted is a webhook recorded. A provider's retry or replay of a
   status already recorded is dropped right there by the unique (channel, key).
2. Applying (`intake_drain`, a Celery task): pending rows are taken in batches with
   `FOR UPDATE SKIP LOCKED` (workers never take the same rows) and applied in one transaction
   per batch: message states (receipts_bulk, which hands failures, fallback, opt-outs and
   acceptance evidence to receipts.apply_receipt), Meta's pricing and the user ids
   (status_batch), then the rows are marked applied. A worker that dies mid-batch rolls back:
   its rows are pending again.

Kicking. Each webhook would be one task; at a few thousand statuses a second that is a few
thousand tasks a second doing a few statuses each. Instead a webhook enqueues a drain only if
none is announced (a cache key added with a short expiry); a drain takes batches until none is
left, removes the key and looks once more, so a row committed before the key went is seen by
that last look, and a row committed after it enqueues a new drain. If the drain's task is lost,
the key expires and the next webhook kicks again; if no webhook comes, the sweeper
(`intake_sweep`, beat, every minute) applies what is older than SWEEP_AFTER.

A batch that fails (a bug, a poison row) is retried row by row, each in its own transaction; a
row that fails keeps its error and is left to the sweeper, which gives up after MAX_ATTEMPTS
(logged as an error, row kept with its error). Applied rows are deleted after KEEP (Meta retries
for 7 days: a retry within that time is still recognised as a duplicate).
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from messaging.dispatch.receipts_bulk import apply_receipts
from messaging.dispatch.status_batch import statuses_record
from messaging.models import StatusIntake
from messaging.webhooks import Pricing, StatusUpdate

logger = logging.getLogger(__name__)

BATCH = 500
KICK_KEY = "messaging:status-intake:drain"
KICK_SECONDS = 2  # a lost drain task delays the next kick by at most this
SWEEP_AFTER = timedelta(seconds=30)
DRAIN_SECONDS = 60.0  # a drain under a steady stream hands over, well within the broker's visibility timeout
KEEP = timedelta(days=8)
MAX_ATTEMPTS = 5
PURGE_BATCH = 5000
FIELDS = [field.name for field in fields(StatusUpdate)]


# --- 1. intake (the request) -----------------------------------------------------------------


def update_data(update: StatusUpdate) -> dict:
    data = {name: _text(getattr(update, name)) for name in FIELDS}
    data["at"] = update.at.isoformat()
    if update.pricing is not None:
        p = update.pricing
        data["pricing"] = {
            "billable": p.billable,
            "pricing_model": _text(p.pricing_model),
            "category": _text(p.category),
            "type": _text(p.type),
        }
    return data


def _text(value):
    """PostgreSQL stores no NUL, in text or in jsonb."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def update_from(data: dict) -> StatusUpdate:
    pricing = data.get("pricing")
    return StatusUpdate(
        **{
            **data,
            "at": datetime.fromisoformat(data["at"]),
            "pricing": Pricing(**pricing) if pricing is not None else None,
        }
    )


def status_key(update: StatusUpdate, *, timed: bool) -> str:
    """One status of one message. WhatsApp's carry their time (a retry repeats it); Twilio's do not
    (`at` is when we got it), and Twilio posts each status of a message once."""
    parts = [update.provider_message_id, update.state, update.error_code, update.callback_data]
    if timed:
        parts.insert(2, str(int(update.at.timestamp())))
    return _text("|".join(parts))[:400]


def intake_record(
    updates: Sequence[StatusUpdate], *, channel: str, provider: str, timed: bool, kick: Callable[[], None] | None = None
) -> int:
    """Record these statuses (one INSERT; duplicates ignored) and kick a drain. Returns how many."""
    if not updates:
        return 0
    now = timezone.now()
    rows = {}
    for update in updates:
        rows.setdefault(status_key(update, timed=timed), update)
    if connection.vendor != "postgresql":  # SQLite (make run): the ORM's, in a transaction
        StatusIntake.objects.bulk_create(
            [
                StatusIntake(channel=channel, provider=provider, key=key, data=update_data(update), received_at=now)
                for key, update in rows.items()
            ],
            ignore_conflicts=True,
        )
    else:  # one statement in autocommit (no BEGIN/COMMIT round trips around it, as bulk_create makes)
        values = ", ".join(["(%s, %s, %s, %s::jsonb, %s, 0, '')"] * len(rows))
        params = [
            p for key, update in rows.items() for p in (channel, provider, key, json.dumps(update_data(update)), now)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {StatusIntake._meta.db_table} (channel, provider, key, data, received_at, attempts,"
                f" last_error) VALUES {values} ON CONFLICT (channel, key) DO NOTHING",
                params,
            )
    # After the commit (at once in the webhook's autocommit): a drain must find the rows it was kicked for.
    transaction.on_commit(kick or kick_drain)
    return len(rows)


def kick_drain() -> None:
    """Enqueue a drain unless one is announced (see the module's doc)."""
    from messaging.tasks import drain_status_intake

    try:
        if cache.add(KICK_KEY, 1, timeout=KICK_SECONDS):
            drain_status_intake.delay()
    except Exception:  # Redis down: the statuses are recorded; the sweeper applies them later
        logger.warning("Status intake: no drain enqueued (cache or broker unavailable)", exc_info=True)


# --- 2. applying (workers) -------------------------------------------------------------------


def intake_drain(*, batch: int = BATCH, seconds: float = DRAIN_SECONDS) -> int:
    """Apply pending rows until none is left (rows of a failed batch: one by one), or for at most
    `seconds` (then the next webhook kicks a fresh drain). Returns how many."""
    applied, until = 0, time.monotonic() + seconds
    while True:
        done = len(apply_batch(batch=batch))
        applied += done
        if done and time.monotonic() < until:
            continue
        cache.delete(KICK_KEY)  # from now on a new webhook kicks another drain
        if done:
            return applied
        done = len(apply_batch(batch=batch))  # what was committed before the key went
        applied += done
        if not done:
            return applied


def apply_batch(*, batch: int = BATCH, older_than: datetime | None = None, after: int = 0) -> list[int]:
    """Take up to `batch` pending rows (ids above `after`) nobody holds and apply them; their ids
    (none: nothing was free)."""
    try:
        with transaction.atomic():
            rows = _pending(batch=batch, older_than=older_than, after=after)
            if rows:
                _apply(rows)
            return [row.pk for row in rows]
    except Exception:  # any failure: retried row by row, the failing row kept with its error
        logger.exception("Status intake batch failed; applying its rows one by one")
    with transaction.atomic():
        ids = [row.pk for row in _pending(batch=batch, older_than=older_than, after=after)]
    for pk in ids:
        apply_one(pk)
    return ids


def apply_one(pk: int) -> bool:
    try:
        with transaction.atomic():
            rows = list(
                StatusIntake.objects.filter(pk=pk, processed_at__isnull=True).select_for_update(skip_locked=True)
            )
            if rows:
                _apply(rows)
            return bool(rows)
    except Exception as error:  # kept pending with its error, retried by the sweeper
        logger.exception("Status intake row %s failed", pk)
        _failed(pk, error)
        return False


def _failed(pk: int, error: Exception) -> None:
    row = StatusIntake.objects.filter(pk=pk).first()
    if row is None:
        return
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= MAX_ATTEMPTS:
        logger.error("Status intake row %s given up after %s attempts: %s", pk, row.attempts, row.last_error)
        row.processed_at = timezone.now()
    row.save(update_fields=["attempts", "last_error", "processed_at"])


def _pending(*, batch: int, older_than: datetime | None, after: int = 0) -> list[StatusIntake]:
    rows = StatusIntake.objects.filter(processed_at__isnull=True, pk__gt=after)
    # Workers leave rows that failed before to the sweeper; the sweeper only takes old rows.
    rows = rows.filter(received_at__lt=older_than) if older_than is not None else rows.filter(attempts=0)
    return list(rows.order_by("pk").select_for_update(skip_locked=True)[:batch])


def _apply(rows: list[StatusIntake]) -> None:
    groups: dict[tuple[str, str], list[StatusUpdate]] = defaultdict(list)
    for row in rows:
        groups[(row.channel, row.provider)].append(update_from(row.data))
    for (channel, provider), updates in groups.items():
        apply_receipts(updates, channel=channel, provider=provider)
        statuses_record(updates, channel=channel)
    StatusIntake.objects.filter(pk__in=[row.pk for row in rows]).update(processed_at=timezone.now())


# --- 3. the sweeper (beat) -------------------------------------------------------------------


def intake_sweep(*, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Rows left pending (their drain was lost, a worker died, they failed before): applied once
    SWEEP_AFTER has passed; applied rows older than KEEP: deleted. Returns counts."""
    now = now or timezone.now()
    applied, after = 0, 0
    while ids := apply_batch(batch=batch, older_than=now - SWEEP_AFTER, after=after):
        applied, after = applied + len(ids), max(ids)  # each row tried once per sweep
    old = StatusIntake.objects.filter(processed_at__isnull=False, received_at__lt=now - KEEP)
    purged, _ = StatusIntake.objects.filter(pk__in=old.values("pk")[:PURGE_BATCH]).delete()
    return {"applied": applied, "purged": purged}
