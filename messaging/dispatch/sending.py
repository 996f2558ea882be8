"""Sending queued messages through their channel's provider, exactly once.

The Message row exists before the provider is called (outbox). A sender first claims the rows
with a conditional UPDATE (state still `queued`, no live lease): only the winner calls the
provider, so task redeliveries and duplicate enqueues never send twice.

A claimed batch goes out in waves of at most MESSAGE_SEND_CONCURRENCY calls in flight at once
(one thread pool per worker process, `concurrency.py`). A wave's outcomes are recorded as soon as
its calls have returned, acceptances in one transaction, before the next wave starts: like a
sender that records each acceptance before its next call, a crash can only leave the calls of the
wave in progress unrecorded (the lease then brings them back: at-least-once towards a provider
that has no idempotency key): at most MESSAGE_SEND_CONCURRENCY per sending task, which is one
per worker process with the prefork pool.

WhatsApp messages over the business number's rate (`throttle`) are held back in slots of a
quarter second's worth of tokens: released together, they come back together in one send task.
Transient failures release the claim and come back with exponential backoff and jitter;
permanent ones mark the message failed with the provider's code; opt-out codes also opt the
recipient out.
"""

from __future__ import annotations

import logging
import math
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from brands.models import Brand
from messaging import throttle
from messaging.dispatch.concurrency import in_parallel
from messaging.dispatch.optouts import opt_out, opted_out_pairs
from messaging.dispatch.recording import Accepted, Outcome, finish, record_acceptances, release
from messaging.models import Channel, Message, MessageState, OptOut
from messaging.policy import get_policy
from messaging.providers.base import OutboundMessage, Provider, ProviderError, ProviderResult, WhatsAppTemplateCall
from messaging.providers.registry import get_provider
from messaging.rendering import unsubscribe_url
from messaging.whatsapp_templates import meta_language_code, unsubscribe_button_parameter

logger = logging.getLogger(__name__)

__all__ = ["Outcome", "backoff", "claim", "send_batch", "send_claimed", "send_message"]


# The sender's lease: settings.MESSAGE_SEND_LEASE_SECONDS (5 minutes). A worker killed mid-send
# holds the message until it runs out; a redelivered task (after the broker's visibility timeout,
# which is longer) then claims it anew. Longer than any provider call (timeouts: core/http.py).
def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "MESSAGE_SEND_LEASE_SECONDS", 300))


def concurrency() -> int:
    return max(1, int(getattr(settings, "MESSAGE_SEND_CONCURRENCY", 32)))


MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 30 * 60.0
# A throttle wait longer than this goes back to the queue rather than holding a worker.
MAX_INLINE_WAIT_SECONDS = 1.0
# Messages over the rate are sent again in slots of this many seconds' worth of tokens.
HELD_SLOT_SECONDS = 0.25
# Columns a send never reads (a sent message's are set by recording.py before anything reads them).
NOT_READ_TO_SEND = ("created_at", "sent_at", "delivered_at", "read_at", "failed_at", "claimed_until", "provider",
                    "provider_message_id", "price", "currency", "error_code", "error_message")


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
    """What a batch of claimed messages needs to know, read once: opt-outs, prices, providers."""

    def __init__(self, messages: list[Message], *, now):
        self.opted_out: set[tuple[int, str]] = set()
        self.prices: dict[int, tuple | None] = {}
        self.providers: dict[str, Provider] = {}
        by_account: dict[int, list[Message]] = {}
        for message in messages:
            by_account.setdefault(message.brand.account_id, []).append(message)
            if message.channel not in self.providers:
                self.providers[message.channel] = get_provider(message.channel)
        for rows in by_account.values():
            account = rows[0].brand.account
            self.opted_out |= opted_out_pairs(
                account=account, brand_ids={m.brand_id for m in rows}, recipients={m.recipient for m in rows}
            )
            if any(m.channel == Channel.WHATSAPP for m in rows):
                self.prices[account.pk] = get_policy().whatsapp_unit_price(account, now)

    def price(self, message: Message) -> tuple | None:
        return self.prices.get(message.brand.account_id) if message.channel == Channel.WHATSAPP else None


def send_message(message_id: int, *, now=None) -> Outcome | None:
    """Send one message if it is still queued and nobody else holds it. None: nothing to do."""
    return send_batch([message_id], now=now).get(message_id)


def send_batch(message_ids: list[int], *, now=None) -> dict[int, Outcome]:
    """Send the messages of this batch that are still queued and free; one outcome per claimed id."""
    now = now or timezone.now()
    won = claim(message_ids, now=now)
    if not won:
        return {}
    messages = list(
        Message.objects.filter(pk__in=won).defer(*NOT_READ_TO_SEND)
        .annotate(shipment_status=F("shipment__status")).order_by("pk")
    )
    brands = Brand.objects.select_related("account").in_bulk({m.brand_id for m in messages})
    for message in messages:
        message.brand = brands[message.brand_id]  # a few brands per batch: loaded once, not per row
    return send_claimed(messages, now=now)


def send_claimed(messages: list[Message], *, now=None) -> dict[int, Outcome]:
    """Send messages this caller holds the lease on (`claim`, or planning's insert), each with its
    brand loaded and `shipment_status`, the parcel's status when it was claimed."""
    now = now or timezone.now()
    if not messages:
        return {}
    batch = _Batch(messages, now=now)
    # Stale: the parcel has moved past this status since; a message about it would mislead.
    stale = [m for m in messages if m.shipment_status != m.trigger_status]
    opted_out = [m for m in messages if m.shipment_status == m.trigger_status
                 and (m.brand_id, m.recipient) in batch.opted_out]
    outcomes = finish(stale, MessageState.SUPPRESSED, "stale", "The parcel had moved on before this was sent.",
                      now=now)
    outcomes |= finish(opted_out, MessageState.SUPPRESSED, "opted_out", "The recipient unsubscribed from this brand.",
                       now=now)
    sendable, held = _within_rate([m for m in messages if m.pk not in outcomes], now=now)
    outcomes |= held
    for start in range(0, len(sendable), concurrency()):
        wave = sendable[start : start + concurrency()]
        answers = in_parallel(lambda message: _call(message, batch), wave, limit=concurrency())
        outcomes |= _record_wave(wave, answers, batch, now=now)
    return outcomes


def _within_rate(messages: list[Message], *, now) -> tuple[list[Message], dict[int, Outcome]]:
    """WhatsApp's per-number throughput: one token request for the whole batch. Messages without
    a token come back later (spread out at the rate), the others go now."""
    whatsapp = [m for m in messages if m.channel == Channel.WHATSAPP]
    if not whatsapp:
        return messages, {}
    rate = settings.WHATSAPP_MESSAGES_PER_SECOND
    key = throttle.whatsapp_key(settings.WHATSAPP_PHONE_NUMBER_ID or "sandbox")
    granted, wait = throttle.take(key, len(whatsapp), rate, rate)
    while granted < len(whatsapp) and wait <= MAX_INLINE_WAIT_SECONDS:
        time.sleep(wait)
        more, wait = throttle.take(key, len(whatsapp) - granted, rate, rate)
        granted += more
    held = whatsapp[granted:]
    # Held ones come back in slots: each slot's messages together (one UPDATE here, one send task
    # later), a slot's worth of tokens apart, so a burst drains at the rate in batches.
    slot = max(1, math.ceil(rate * HELD_SLOT_SECONDS))
    outcomes = {}
    for start in range(0, len(held), slot):
        outcomes |= release(held[start : start + slot], retry_in=wait + start / rate, now=now)
    return [m for m in messages if m.pk not in outcomes], outcomes


def _call(message: Message, batch: _Batch) -> ProviderResult | ProviderError:
    """One provider call (on a pool thread: no database here). The failure is returned, not raised."""
    try:
        return batch.providers[message.channel].send(outbound(message))
    except ProviderError as exc:
        return exc


def _record_wave(wave: list[Message], answers: list, batch: _Batch, *, now) -> dict[int, Outcome]:
    accepted = [Accepted(m, answer, batch.price(m)) for m, answer in zip(wave, answers, strict=True)
                if isinstance(answer, ProviderResult)]
    record_acceptances(accepted, now=timezone.now())
    outcomes = {item.message.pk: Outcome(state=MessageState.SENT, provider=item.result.provider,
                                         channel=item.message.channel) for item in accepted}
    for message, answer in zip(wave, answers, strict=True):
        if isinstance(answer, ProviderError):
            outcomes[message.pk] = _failed_attempt(message, answer, now=now)
    return outcomes


def outbound(message: Message) -> OutboundMessage:
    brand = message.brand
    whatsapp = unsubscribe = None
    if message.channel == Channel.WHATSAPP:  # the link goes in the template's unsubscribe button
        whatsapp = WhatsAppTemplateCall(
            name=message.whatsapp_template,
            language_code=meta_language_code(message.language),
            parameters=tuple(message.whatsapp_parameters),
            url_button=unsubscribe_button_parameter(unsubscribe_url(brand.pk, message.recipient)),
        )
    if message.channel == Channel.EMAIL:  # the List-Unsubscribe header; texts carry the link in the body
        unsubscribe = unsubscribe_url(brand.pk, message.recipient)
    return OutboundMessage(
        message_id=message.pk,
        channel=message.channel,
        to=message.recipient,
        body=message.body,
        subject=message.subject,
        html=message.html,
        whatsapp=whatsapp,
        unsubscribe_url=unsubscribe or "",
        from_name=brand.name,
        reply_to=brand.support_email,
        status_callback_url=f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/status/" if message.channel == Channel.SMS else "",
    )


def _failed_attempt(message: Message, exc: ProviderError, *, now) -> Outcome:
    if exc.kind == "transient" and message.attempts < MAX_ATTEMPTS:
        logger.info("message %s: transient %s (attempt %s), retrying", message.pk, exc.code, message.attempts)
        return release([message], retry_in=backoff(message.attempts, exc.retry_after), now=now)[message.pk]
    if exc.kind == "opt_out":
        opt_out(brand=message.brand, recipient=message.recipient, source=OptOut.Source.PROVIDER)
    if exc.kind == "config":
        # The platform's credentials or templates are wrong: an admin must act, retrying won't help.
        logger.error("message %s: provider configuration problem %s: %s", message.pk, exc.code, exc)
    return finish([message], MessageState.FAILED, exc.code, str(exc), now=now)[message.pk]
