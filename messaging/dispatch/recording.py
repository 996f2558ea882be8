"""What a send did, written down: acceptances (with the price snapshot and the charge), retries,
slots for messages over the rate, and final failures. Each function writes a whole group of
messages in a few queries.

Acceptances are recorded as their answers arrive (a group holds the answers that arrived
together), each group in one transaction: one conditional UPDATE marks the rows not yet accepted
by us, and `messages_accepted` lets billing write their charges in the same transaction: one
accepted message, one charge. A status webhook that proves an acceptance our own record lacks
records it the same way (evidence.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from messaging.models import Message, MessageState
from messaging.providers.base import ProviderResult
from messaging.signals import messages_accepted
from messaging.webhook_events import message_rows_publish, message_states_publish
from webhooks_out.events import listening
from webhooks_out.models import EventType

# Never recorded as accepted (nor charged), whatever a late answer or webhook says: suppressed
# messages never went, expired ones were replaced by their fallback (fallback.py).
NEVER_ACCEPTED = (MessageState.SUPPRESSED, MessageState.EXPIRED)
MESSAGE_REF_FIELDS = ("pk", "shipment_id", "brand_id", "channel", "trigger_status")
ACCEPTED_FIELDS = ["state", "provider", "provider_message_id", "sent_at", "price", "currency", "claimed_until",
                   "error_code", "error_message"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: its state now, and when to try again (transient errors)."""

    state: str
    retry_in: float | None = None
    provider: str = ""
    channel: str = ""


@dataclass(frozen=True)
class Accepted:
    message: Message
    result: ProviderResult
    price: tuple | None = None  # (unit price, currency) of a billable message


def record_acceptances(accepted: list[Accepted], *, now: datetime) -> list[Message]:
    """The provider took these messages: store their ids and price snapshots and announce the
    billable ones, in one transaction. Idempotent: only a message's first acceptance counts.
    Returns the messages this recorded."""
    if not accepted:
        return []
    with transaction.atomic():
        marked = _mark_accepted(accepted, now=now)  # id -> (state, sent_at) now stored
        recorded = []
        for item in accepted:
            if item.message.pk not in marked:
                continue
            message = item.message
            message.state, message.sent_at = marked[message.pk]
            message.provider = item.result.provider
            message.provider_message_id = item.result.provider_message_id[:255]
            message.price, message.currency = item.price if item.price is not None else (None, "")
            message.claimed_until = None
            message.error_code = message.error_message = ""
            recorded.append(message)
        billable = [message for message in recorded if message.price is not None]
        if billable:
            messages_accepted.send(sender=Message, messages=billable)
        message_states_publish(recorded)  # one INSERT for the batch; nothing without listeners
    return recorded


def _mark_accepted(accepted: list[Accepted], *, now: datetime) -> dict[int, tuple[str, datetime]]:
    """One conditional UPDATE: rows not yet accepted by us (`provider` still empty; a fast
    receipt may have set the provider's id, the state or `sent_at` already: they are kept) and
    neither suppressed nor expired; a queued (or, found by a late webhook, scheduled) row
    becomes sent. The row locks it takes make a concurrent second acceptance wait, then find
    `provider` set and change nothing. System work on our own outbox rows (ids from a claim or a
    signed webhook)."""
    if connection.vendor != "postgresql":
        return _mark_accepted_orm(accepted, now=now)
    # The group's values travel as one JSON document (json's C encoder), not as five arrays that
    # psycopg would quote element by element in Python (the whole call: 443 against 518 us of
    # thread CPU for a group of 8, median of 300).
    values = json.dumps([
        [item.message.pk, item.result.provider, item.result.provider_message_id[:255],
         None if item.price is None else str(item.price[0]), "" if item.price is None else item.price[1]]
        for item in accepted
    ])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE messaging_message AS m SET
                state = CASE WHEN m.state IN (%s, %s) THEN %s ELSE m.state END,
                provider = a.provider, provider_message_id = a.provider_message_id,
                sent_at = COALESCE(m.sent_at, %s), price = a.price, currency = a.currency,
                claimed_until = NULL, error_code = '', error_message = ''
            FROM (SELECT (v->>0)::bigint AS id, v->>1 AS provider, v->>2 AS provider_message_id,
                         (v->>3)::numeric AS price, v->>4 AS currency
                  FROM jsonb_array_elements(%s::jsonb) AS v) AS a
            WHERE m.id = a.id AND m.provider = '' AND m.state NOT IN (%s, %s)
            RETURNING m.id, m.state, NULLIF(m.sent_at, %s)
            """,
            [MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT, now, values, *NEVER_ACCEPTED, now],
        )
        # `sent_at` comes back only when a receipt had set an earlier one: reading thousands of
        # timestamps back that are all `now` costs more than the rest of the statement's answer.
        return {pk: (state, sent_at or now) for pk, state, sent_at in cursor.fetchall()}


def _mark_accepted_orm(accepted: list[Accepted], *, now: datetime) -> dict[int, tuple[str, datetime]]:
    """The same on other databases (SQLite: the zero-setup default), with the ORM."""
    current = {
        pk: (state, sent_at)
        for pk, state, sent_at in Message.objects.select_for_update()
        .filter(pk__in=[item.message.pk for item in accepted], provider="")
        .exclude(state__in=NEVER_ACCEPTED)
        .values_list("pk", "state", "sent_at")
    }
    rows = []
    for item in accepted:
        if item.message.pk not in current:
            continue
        state, sent_at = current[item.message.pk]
        row = Message(pk=item.message.pk)
        row.state = MessageState.SENT if state in (MessageState.QUEUED, MessageState.SCHEDULED) else state
        row.sent_at = sent_at or now
        row.provider, row.provider_message_id = item.result.provider, item.result.provider_message_id[:255]
        row.price, row.currency = item.price if item.price is not None else (None, "")
        row.claimed_until, row.error_code, row.error_message = None, "", ""
        rows.append(row)
    Message.objects.bulk_update(rows, ACCEPTED_FIELDS)
    return {row.pk: (row.state, row.sent_at) for row in rows}


def release(messages: list[Message], *, retry_in: float, now: datetime) -> dict[int, Outcome]:
    """Not sent this time: keep them queued; the lease now means "not before", so the sweeper
    leaves them alone until the retry is due. One UPDATE."""
    Message.objects.filter(pk__in=[m.pk for m in messages], state=MessageState.QUEUED).update(
        claimed_until=now + timedelta(seconds=retry_in)
    )
    return {m.pk: Outcome(state=MessageState.QUEUED, retry_in=retry_in, channel=m.channel) for m in messages}


def schedule(messages: list[Message], *, due_in: float, now: datetime) -> dict[int, Outcome]:
    """Over the sender's rate: held until their slot (`scheduled`, `not_before`), the lease given
    up and the claim's attempt given back (pacing is not a try). One UPDATE."""
    Message.objects.filter(pk__in=[m.pk for m in messages], state=MessageState.QUEUED).update(
        state=MessageState.SCHEDULED, not_before=now + timedelta(seconds=due_in), claimed_until=None,
        attempts=Greatest(F("attempts") - 1, Value(0)),
    )
    return {m.pk: Outcome(state=MessageState.SCHEDULED, retry_in=due_in, channel=m.channel) for m in messages}


def finish(messages: list[Message], state: str, code: str, text: str, *, now: datetime) -> dict[int, Outcome]:
    """These messages end here (suppressed or failed), with one reason: one UPDATE (and, for
    brands whose account listens to message.state_changed, the rows it moved and their outbox rows,
    in one transaction)."""
    if messages:
        rows = Message.objects.filter(pk__in=[m.pk for m in messages], state=MessageState.QUEUED)
        changes = {"state": state, "error_code": str(code)[:32], "error_message": text[:500], "claimed_until": None,
                   "failed_at": now if state == MessageState.FAILED else None}
        wanted = listening(EventType.MESSAGE_STATE_CHANGED, {m.brand_id for m in messages})
        if not wanted:
            rows.update(**changes)
        else:
            with transaction.atomic():
                moved = list(rows.select_for_update().values(*MESSAGE_REF_FIELDS))
                Message.objects.filter(pk__in=[row["pk"] for row in moved]).update(**changes)
                message_rows_publish(moved, state, str(code)[:32])
    return {m.pk: Outcome(state=state, channel=m.channel) for m in messages}
