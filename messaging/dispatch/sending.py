"""Sending one queued message through its channel's provider, exactly once.

The Message row exists before the provider is called (outbox). A sender first claims the row
with a conditional UPDATE (state still `queued`, no live lease): only the winner calls the
provider, so task redeliveries and duplicate enqueues never send twice. Transient failures
release the claim and come back with exponential backoff and jitter; permanent ones mark the
message failed with the provider's code; opt-out codes also opt the recipient out.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from messaging import throttle
from messaging.dispatch.optouts import opt_out, opted_out_pairs
from messaging.models import Channel, Message, MessageState, OptOut
from messaging.policy import get_policy
from messaging.providers.base import OutboundMessage, ProviderError, ProviderResult, WhatsAppTemplateCall
from messaging.providers.registry import get_provider
from messaging.signals import message_accepted

logger = logging.getLogger(__name__)

# The sender's lease: settings.MESSAGE_SEND_LEASE_SECONDS (5 minutes). A worker killed mid-send
# holds the message until it runs out; a redelivered task (after the broker's visibility timeout,
# which is longer) then claims it anew. Longer than any provider call (timeouts: config/http.py).
def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "MESSAGE_SEND_LEASE_SECONDS", 300))


MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 30 * 60.0
# A throttle wait longer than this goes back to the queue rather than holding a worker.
MAX_INLINE_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class Outcome:
    """What happened to one message: its state now, and when to try again (transient errors)."""

    state: str
    retry_in: float | None = None
    provider: str = ""


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; never sooner than the provider asked."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def claim(message_ids: list[int], *, now) -> list[int]:
    """Take the sender's lease on these messages where they are still queued and free.

    Returns the ids this caller won. Rows another worker holds are skipped, not waited for
    (PostgreSQL: SKIP LOCKED; SQLite serialises writers), so each message has one sender.
    """
    # System task: the ids come from our own outbox, not from a tenant's request.
    with transaction.atomic():
        won = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=MessageState.QUEUED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .values_list("pk", flat=True)
        )
        if won:
            Message.objects.filter(pk__in=won).update(claimed_until=now + lease(), attempts=F("attempts") + 1)
    return won


class _Batch:
    """What a batch of claimed messages needs to know, read once: opt-outs and prices."""

    def __init__(self, messages: list[Message], *, now):
        self.opted_out: set[tuple[int, str]] = set()
        self.prices: dict[int, tuple | None] = {}
        by_account: dict[int, list[Message]] = {}
        for message in messages:
            by_account.setdefault(message.brand.account_id, []).append(message)
        for rows in by_account.values():
            account = rows[0].brand.account
            self.opted_out |= opted_out_pairs(
                account=account, brand_ids={m.brand_id for m in rows}, recipients={m.recipient for m in rows}
            )
            if any(m.channel == Channel.WHATSAPP for m in rows):
                self.prices[account.pk] = get_policy().whatsapp_unit_price(account, now)


def send_message(message_id: int, *, now=None) -> Outcome | None:
    """Send one message if it is still queued and nobody else holds it. None: nothing to do."""
    return send_batch([message_id], now=now).get(message_id)


def send_batch(message_ids: list[int], *, now=None) -> dict[int, Outcome]:
    """Send the messages of this batch that are still queued and free; one outcome per sent id."""
    now = now or timezone.now()
    won = claim(message_ids, now=now)
    if not won:
        return {}
    messages = list(Message.objects.filter(pk__in=won).select_related("brand__account", "shipment").order_by("pk"))
    batch = _Batch(messages, now=now)
    return {message.pk: _send_claimed(message, batch, now=now) for message in messages}


def _send_claimed(message: Message, batch: _Batch, *, now) -> Outcome:
    if message.shipment.status != message.trigger_status:
        return _finish(message, MessageState.SUPPRESSED, "stale", "The parcel had moved on before this was sent.")
    if (message.brand_id, message.recipient) in batch.opted_out:
        return _finish(message, MessageState.SUPPRESSED, "opted_out", "The recipient unsubscribed from this brand.")
    if message.channel == Channel.WHATSAPP:
        rate = settings.WHATSAPP_MESSAGES_PER_SECOND
        wait = throttle.acquire(throttle.whatsapp_key(settings.WHATSAPP_PHONE_NUMBER_ID or "sandbox"), rate, rate)
        if wait > MAX_INLINE_WAIT_SECONDS:
            return _release(message, retry_in=wait, now=now)
        if wait > 0:
            time.sleep(wait)
    try:
        result = get_provider(message.channel).send(outbound(message))
    except ProviderError as exc:
        return _failed_attempt(message, exc, now=now)
    quoted = batch.prices.get(message.brand.account_id) if message.channel == Channel.WHATSAPP else None
    record_acceptance(message, result, now=timezone.now(), price=quoted)
    return Outcome(state=MessageState.SENT, provider=result.provider)


def outbound(message: Message) -> OutboundMessage:
    from messaging.rendering import unsubscribe_url

    brand = message.brand
    whatsapp = None
    if message.channel == Channel.WHATSAPP:
        from messaging.whatsapp_templates import meta_language_code

        whatsapp = WhatsAppTemplateCall(
            name=message.whatsapp_template,
            language_code=meta_language_code(message.language),
            parameters=tuple(message.whatsapp_parameters),
        )
    return OutboundMessage(
        message_id=message.pk,
        channel=message.channel,
        to=message.recipient,
        body=message.body,
        subject=message.subject,
        html=message.html,
        whatsapp=whatsapp,
        unsubscribe_url=unsubscribe_url(brand.pk, message.recipient),
        from_name=brand.name,
        reply_to=brand.support_email,
        status_callback_url=f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/status/" if message.channel == Channel.SMS else "",
    )


def record_acceptance(message: Message, result: ProviderResult, *, now, price: tuple | None = None) -> bool:
    """The provider took the message: store its id, the price snapshot (WhatsApp: the unit price
    of the account's plan and company country at this moment) and announce it so billing charges
    it, all in one transaction. Idempotent: only the first acceptance of a message counts."""
    price, currency = price if price is not None else (None, "")
    with transaction.atomic():
        updated = (
            Message.objects.filter(pk=message.pk, provider_message_id="")
            .exclude(state=MessageState.SUPPRESSED)
            .update(
                # A receipt may have overtaken us (webhooks are fast): never move the state back.
                state=Case(When(state=MessageState.QUEUED, then=Value(MessageState.SENT)), default=F("state")),
                provider=result.provider,
                provider_message_id=result.provider_message_id[:255],
                sent_at=Coalesce(F("sent_at"), Value(now)),
                price=price,
                currency=currency,
                claimed_until=None,
                error_code="",
                error_message="",
            )
        )
        if updated and price is not None:
            message.provider, message.provider_message_id = result.provider, result.provider_message_id[:255]
            message.price, message.currency = price, currency
            message.sent_at = message.sent_at or now
            message_accepted.send(sender=Message, message=message)
    return bool(updated)


def _failed_attempt(message: Message, exc: ProviderError, *, now) -> Outcome:
    if exc.kind == "transient" and message.attempts < MAX_ATTEMPTS:
        logger.info("message %s: transient %s (attempt %s), retrying", message.pk, exc.code, message.attempts)
        return _release(message, retry_in=backoff(message.attempts, exc.retry_after), now=now)
    if exc.kind == "opt_out":
        opt_out(brand=message.brand, recipient=message.recipient, source=OptOut.Source.PROVIDER)
    if exc.kind == "config":
        # The platform's credentials or templates are wrong: an admin must act, retrying won't help.
        logger.error("message %s: provider configuration problem %s: %s", message.pk, exc.code, exc)
    return _finish(message, MessageState.FAILED, exc.code, str(exc))


def _release(message: Message, *, retry_in: float, now) -> Outcome:
    # The lease now means "not before": the sweeper leaves the message alone until then.
    Message.objects.filter(pk=message.pk, state=MessageState.QUEUED).update(
        claimed_until=now + timedelta(seconds=retry_in)
    )
    return Outcome(state=MessageState.QUEUED, retry_in=retry_in)


def _finish(message: Message, state: str, code: str, text: str) -> Outcome:
    now = timezone.now()
    Message.objects.filter(pk=message.pk, state=MessageState.QUEUED).update(
        state=state,
        error_code=str(code)[:32],
        error_message=text[:500],
        claimed_until=None,
        failed_at=now if state == MessageState.FAILED else None,
    )
    return Outcome(state=state)
