"""Celery tasks of messaging: thin wrappers that pass ids and let the dispatch modules work.

- `plan_messages`: tracking's status entries -> Message rows, sent at once by the planning task
  itself (inserted already claimed); `send_messages` for older never-tried ones.
- `plan_unplanned_entries` (beat): the planning sweeper; a status entry whose planning task was
  lost (worker killed, broker restart) is planned within about two minutes, never forgotten.
- `send_messages` / `send_message`: send (idempotent: a message is sent only from `queued`, or
  `scheduled` once due, by the one worker that claimed it); transient failures come back later
  through `send_message`, messages scheduled by the WhatsApp rate a slot at a time through
  `send_messages`.
- `release_scheduled_messages` (beat): scheduled messages that are due and still waiting (their
  slot's task was lost) are sent; only due rows are read (a partial index).
- `expire_undelivered_whatsapp` (beat): WhatsApp messages not delivered within their brand's
  fallback wait are replaced by the next channel (dispatch/fallback.py); only due rows are read.
- `drain_status_intake`: status webhooks recorded by the views (StatusIntake rows) applied in
  batches (dispatch/status_intake.py); `sweep_status_intake` (beat): rows whose drain was lost.
- `simulate_sandbox_receipt`: delivered/read receipts of the sandbox providers.
- `requeue_stuck_messages` (beat): the outbox sweeper; a queued message whose task was lost
  (broker restart, worker killed before acking) is sent again, never forgotten.
- `purge_recipients` (beat, daily): shopper details erased after the account's retention period.
- `sync_sender_templates`: after a brand connects its own WhatsApp number (messaging/senders.py),
  the templates of that number's business account (through the `senders.after_connect` seam).
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from messaging import retention
from messaging.dispatch import entry_planning, fallback, receipts, sending, status_intake
from messaging.models import Message, MessageState

SEND_BATCH = 250
SWEEP_LIMIT = 5000


def chunks(ids: list[int], size: int = SEND_BATCH):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@shared_task(acks_late=True, ignore_result=True)
def plan_messages(entry_ids: list[int]) -> int:
    """`entry_ids`: tracking's status entries to plan (marked planned with their messages). The
    new messages are inserted claimed and sent right here (no second task, no claim round trip);
    older never-tried ones go to send tasks."""
    plan = entry_planning.plan_entries([int(pk) for pk in entry_ids], claim_until=timezone.now() + sending.lease())
    after_sends(sending.send_claimed(plan.claimed))
    enqueue_sends(plan.waiting)
    return len(plan.claimed) + len(plan.waiting)


@shared_task(acks_late=True, ignore_result=True)
def plan_unplanned_entries() -> int:
    """Beat, every minute: the planning sweeper (entries whose planning task was lost)."""
    return entry_planning.plan_due_entries(now=timezone.now(), enqueue_sends=enqueue_sends)


def enqueue_sends(message_ids: list[int]) -> None:
    for batch in chunks(message_ids):
        send_messages.delay(batch)


@shared_task(acks_late=True, ignore_result=True)
def send_messages(message_ids: list[int]) -> None:
    after_sends(sending.send_batch(list(message_ids)))


@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id: int) -> None:
    outcome = sending.send_message(message_id)
    after_sends({message_id: outcome} if outcome else {})


def after_sends(outcomes: dict[int, sending.Outcome]) -> None:
    """What comes next: retries when due (messages due at the same moment, such as a slot held
    back by the WhatsApp rate, in one task), and the sandbox's simulated receipts."""
    due: dict[float, list[int]] = {}
    for message_id, outcome in outcomes.items():
        if outcome.retry_in is not None:
            due.setdefault(outcome.retry_in, []).append(message_id)
        elif outcome.provider == "sandbox":
            for state, delay in receipts.SANDBOX_RECEIPTS.get(outcome.channel, ()):
                simulate_sandbox_receipt.apply_async((message_id, state), countdown=delay)
    for retry_in, message_ids in due.items():
        if len(message_ids) == 1:
            send_message.apply_async((message_ids[0],), countdown=retry_in + 0.5)
            continue
        for batch in chunks(message_ids):
            send_messages.apply_async((batch,), countdown=retry_in + 0.5)


@shared_task(acks_late=True, ignore_result=True)
def drain_status_intake() -> int:
    return status_intake.intake_drain()


@shared_task(acks_late=True, ignore_result=True)
def sweep_status_intake() -> dict:
    """Beat, every minute: status webhooks recorded whose drain was lost (worker died, broker)."""
    return status_intake.intake_sweep()


@shared_task(acks_late=True, ignore_result=True)
def simulate_sandbox_receipt(message_id: int, state: str) -> None:
    receipts.simulate_receipt(message_id, state)


def fan_out(rows) -> int:
    """Send tasks for the first SWEEP_LIMIT of these messages, a batch each; how many."""
    ids = list(rows.values_list("pk", flat=True)[:SWEEP_LIMIT])
    for batch in chunks(ids):
        send_messages.delay(batch)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def requeue_stuck_messages() -> int:
    return fan_out(stuck_messages(timezone.now()))


def stuck_messages(now):
    """Queued for a while (MESSAGE_STUCK_AFTER_SECONDS, 2 minutes) and nobody holds them: oldest
    first (the partial index of queued rows)."""
    stuck_after = timedelta(seconds=getattr(settings, "MESSAGE_STUCK_AFTER_SECONDS", 120))
    return (
        Message.objects.filter(state=MessageState.QUEUED, created_at__lte=now - stuck_after)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .order_by("created_at")
    )


@shared_task(acks_late=True, ignore_result=True)
def release_scheduled_messages() -> int:
    return fan_out(due_messages(timezone.now()))


def due_messages(now):
    """Scheduled messages whose time has come, the longest waiting first (the partial index of
    scheduled rows: the cost grows with the rows due, not with the rows stored)."""
    return Message.objects.filter(state=MessageState.SCHEDULED, not_before__lte=now).order_by("not_before")


@shared_task(acks_late=True, ignore_result=True)
def expire_undelivered_whatsapp() -> int:
    """Beat, every minute: the channel fallback of messages not delivered in time."""
    return fallback.expire_undelivered(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def run_due_asks() -> int:
    """Questions to shoppers whose next step is due: cash on delivery's question and its one
    reminder, the delivery rating's question (messaging.conversations.asks)."""
    from messaging.conversations.asks import asks_run_due

    return asks_run_due()


@shared_task(acks_late=True, ignore_result=True)
def purge_recipients() -> int:
    """Daily (beat): erase shopper details past each account's retention period (messaging.retention)."""
    return retention.purge_recipients().shipments


@shared_task(acks_late=True, ignore_result=True)
def sync_whatsapp_templates() -> None:
    """Beat, every 6 hours: the platform's templates at Meta (one list, creations only for the
    missing ones: well within the management API's ~200 calls an hour). Webhooks move the rows
    in between; this catches any they missed. Nothing without a platform business account."""
    from messaging.services.whatsapp_template_sync import sync_platform_templates

    sync_platform_templates()


@shared_task(acks_late=True, ignore_result=True)
def sync_sender_templates(sender_id: int) -> bool:
    """After a brand connected its own number: `senders.after_connect` (the template sync of its
    business account). The sender re-read by id; one disconnected since has nothing to sync."""
    from messaging import senders
    from messaging.models import WhatsAppSender

    # System task: the id comes from our own on-commit hook, not from a tenant's request.
    sender = WhatsAppSender.objects.select_related("brand").filter(pk=sender_id).first()
    if sender is None:
        return False
    senders.after_connect(sender)
    return True
