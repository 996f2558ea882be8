"""Sending queued messages through their channel's provider, exactly once.

The Message row exists before the provider is called (outbox). A sender first claims the rows
with a conditional UPDATE (still `queued` with no live lease, or `scheduled` and due): only the
winner calls the provider, so task redeliveries and duplicate enqueues never send twice.

Calls run MESSAGE_SEND_CONCURRENCY at a time (one thread pool per worker process,
`concurrency.py`), and each acceptance is recorded as soon as its answer arrives: the answers
that arrived together are written in one transaction, before the places they free are given to
new calls. So what a crash can leave unknown is only the calls in flight at that moment: at most
MESSAGE_SEND_CONCURRENCY per worker process (the prefork pool runs one task per process), which
is why that setting stays small (16 by default). Those attempts are ambiguous (the provider may
have taken them): their messages come back when the claim's lease runs out, which covers the
send and the evidence window after it, and by then a status webhook carrying our id has recorded
any acceptance (evidence.py), so they go again only when nothing shows the provider took them.
An answer that timed out after the request may have reached the provider is ambiguous too, and
waits the same window. At-least-once towards the provider remains only for a call in flight at
a crash whose provider never reports on it.

Every call yields an outcome whatever it raised: an unexpected exception is a transient,
ambiguous failure of that message alone. A channel whose provider cannot be built (credentials
set in part, caught at start-up by messaging/checks.py) fails its own messages with
`provider_not_configured` and holds back no other channel, brand or account. WhatsApp messages
over the business number's rate are scheduled for a later slot (`pacing.py`), never waited for.
Transient failures release the claim and come back with exponential backoff and jitter;
permanent ones mark the message failed with the provider's code, unless the recipient cannot be
reached on the channel and the brand's fallback replaces it (`fallback.py`); opt-out codes also
opt the recipient out. A channel's gate (`gating.py`: a WhatsApp template Meta has not approved)
holds, replaces or suppresses a message before any of that.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from brands.models import Brand
from core.metrics.instruments import provider_call
from messaging import news
from messaging.brand_deletion import BRAND_DELETED, BRAND_DELETED_TEXT
from messaging.channels import channel_of
from messaging.dispatch import evidence, fallback, toggles
from messaging.dispatch.concurrency import as_they_complete
from messaging.dispatch.gating import apply_gates
from messaging.dispatch.optouts import opt_out, opted_out_pairs
from messaging.dispatch.pacing import within_rate
from messaging.dispatch.recording import Accepted, Outcome, finish, record_acceptances, release
from messaging.models import Message, MessageKind, MessageState, OptOut
from messaging.providers.base import OutboundMessage, Provider, ProviderError, ProviderResult
from messaging.providers.registry import get_provider

logger = logging.getLogger(__name__)

__all__ = ["Outcome", "backoff", "claim", "send_batch", "send_claimed", "send_message"]


def lease() -> timedelta:
    """How long a claim keeps every other sender away: the send (MESSAGE_SEND_LEASE_SECONDS, longer
    than any batch's provider calls; timeouts: core/http.py), then the evidence window. A sender
    that finishes gives the lease up; one that died holds its messages until it runs out, so they
    go again only once the webhooks of an attempt the provider took had time to arrive."""
    return timedelta(seconds=getattr(settings, "MESSAGE_SEND_LEASE_SECONDS", 300) + evidence.window_seconds())


def concurrency() -> int:
    """Provider calls in flight at once per worker process: also the most a crash leaves ambiguous."""
    return max(1, int(getattr(settings, "MESSAGE_SEND_CONCURRENCY", 16)))


MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 30 * 60.0
NOT_CONFIGURED = "provider_not_configured"
# Columns a send never reads (a sent message's are set by recording.py before anything reads them).
NOT_READ_TO_SEND = ("created_at", "sent_at", "delivered_at", "read_at", "failed_at", "claimed_until", "provider",
                    "provider_message_id", "price", "currency", "error_code", "error_message", "not_before")


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; never sooner than the provider asked."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def claim(message_ids: list[int], *, now) -> list[int]:
    """Take the sender's lease on these messages where they are queued and free, or scheduled
    and due (they become queued again, held by this caller).

    Returns the ids this caller won. Rows another worker holds are skipped, not waited for
    (PostgreSQL: SKIP LOCKED; SQLite serialises writers), so each message has one sender.
    """
    free = Q(state=MessageState.QUEUED) & (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    due = Q(state=MessageState.SCHEDULED, not_before__lte=now)
    # System task: the ids come from our own outbox, not from a tenant's request.
    with transaction.atomic():
        won = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(free | due, pk__in=message_ids)
            .values_list("pk", flat=True)
        )
        if won:
            Message.objects.filter(pk__in=won).update(state=MessageState.QUEUED, claimed_until=now + lease(),
                                                      attempts=F("attempts") + 1)
    return won


class _Batch:
    """What a batch of claimed messages needs to know, read once: opt-outs, prices, providers.

    A provider is built once per channel of the batch; one that cannot be built (credentials set
    in part...) is noted against its channel only: the other channels' messages go on. Brands
    that send a channel from an account of their own (a WhatsApp number) get their own provider,
    looked up once per batch and built once per process (messaging/senders.py)."""

    def __init__(self, messages: list[Message], *, now):
        self.opted_out: set[tuple[int, str]] = set()
        self.prices: dict[int, tuple | None] = {}
        self.providers: dict[str, Provider] = {}
        self.own: dict[tuple[str, int], Provider] = {}  # (channel, brand id) -> the brand's own provider
        self.unavailable: dict[str, str] = {}  # channel -> why its provider could not be built
        by_account: dict[int, list[Message]] = {}
        by_channel: dict[str, set[int]] = {}
        for message in messages:
            by_account.setdefault(message.brand.account_id, []).append(message)
            by_channel.setdefault(message.channel, set()).add(message.brand_id)
        for channel, brand_ids in by_channel.items():
            try:
                self.own |= {(channel, brand_id): provider
                             for brand_id, provider in channel_of(channel).brand_providers(brand_ids).items()}
            except Exception as exc:  # noqa: BLE001 - a token we cannot decrypt: those brands' messages fail
                logger.error("%s: the brands' own providers could not be built: %s", channel, exc)
                self.unavailable[channel] = f"The {channel} provider of the brand could not be built: {exc}"
                continue
            if all((channel, brand_id) in self.own for brand_id in brand_ids):
                continue  # every brand of the batch sends from its own account
            try:
                self.providers[channel] = get_provider(channel)
            except Exception as exc:  # noqa: BLE001 - whatever it raised, it is this channel's trouble only
                logger.error("%s provider not configured: %s", channel, exc)
                self.unavailable[channel] = f"The {channel} provider is not configured: {exc}"
        for rows in by_account.values():
            account = rows[0].brand.account
            self.opted_out |= opted_out_pairs(
                account=account, brand_ids={m.brand_id for m in rows}, recipients={m.recipient for m in rows}
            )
            for code in {m.channel for m in rows if channel_of(m.channel).billable}:
                self.prices[(account.pk, code)] = channel_of(code).unit_price(account, now)

    def price(self, message: Message) -> tuple | None:
        if message.kind == MessageKind.SESSION:  # answers inside the 24-hour window are free
            return None
        return self.prices.get((message.brand.account_id, message.channel))

    def provider_of(self, message: Message) -> Provider | None:
        """The provider that sends this message: the brand's own, else the platform's."""
        return self.own.get((message.channel, message.brand_id)) or self.providers.get(message.channel)

    def why_unavailable(self, message: Message) -> str | None:
        if (message.channel, message.brand_id) in self.own:
            return None
        return self.unavailable.get(message.channel)


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
        .annotate(shipment_status=F("shipment__status"), shipment_country=F("shipment__to_country")).order_by("pk")
    )
    brands = Brand.objects.select_related("account").in_bulk({m.brand_id for m in messages})
    for message in messages:
        message.brand = brands[message.brand_id]  # a few brands per batch: loaded once, not per row
    return send_claimed(messages, now=now)


def send_claimed(messages: list[Message], *, now=None) -> dict[int, Outcome]:
    """Send messages this caller holds the lease on (`claim`, or planning's insert), each with its
    brand loaded, `shipment_status`, the parcel's status when it was claimed, and `shipment_country`,
    its destination country."""
    now = now or timezone.now()
    if not messages:
        return {}
    batch = _Batch(messages, now=now)
    # A passing status the parcel has left since gives way to the newer one; an actionable one
    # (delivered, a failed attempt...) is sent whatever came after it (messaging.news).
    superseded = [m for m in messages if m.kind == MessageKind.NOTIFICATION and news.gives_way(m.trigger_status)
                  and m.shipment_status != m.trigger_status]
    opted_out = [m for m in messages if m not in superseded and (m.brand_id, m.recipient) in batch.opted_out]
    # Planned by a planner that read the brand just before it was deleted (messaging.brand_deletion).
    gone = [m for m in messages if m.brand.deleted_at is not None and m not in superseded and m not in opted_out]
    outcomes = finish(superseded, MessageState.SUPPRESSED, "superseded", news.REASONS["superseded"], now=now)
    outcomes |= finish(gone, MessageState.SUPPRESSED, BRAND_DELETED, BRAND_DELETED_TEXT, now=now)
    outcomes |= finish(opted_out, MessageState.SUPPRESSED, "opted_out", "The recipient unsubscribed from this brand.",
                       now=now)
    # The merchant's switches as they are now, not as planning read them: a held or retried message
    # whose channel, country or status was switched off since does not go (toggles.py).
    outcomes |= finish(toggles.switched_off(m for m in messages if m.pk not in outcomes), MessageState.SUPPRESSED,
                       toggles.REASON, toggles.TEXT, now=now)
    not_configured: dict[str, list[Message]] = {}  # a channel without a provider fails its own messages only
    for message in messages:
        if message.pk not in outcomes and batch.why_unavailable(message):
            not_configured.setdefault(batch.why_unavailable(message), []).append(message)
    for why, rows in not_configured.items():
        outcomes |= finish(rows, MessageState.FAILED, NOT_CONFIGURED, why, now=now)
    # A channel's own gate (WhatsApp: the template approved by Meta) before pacing takes tokens.
    outcomes |= apply_gates([m for m in messages if m.pk not in outcomes], now=now)
    sendable, scheduled = within_rate([m for m in messages if m.pk not in outcomes], now=now,
                                      provider_of=batch.provider_of)
    outcomes |= scheduled
    for answered in as_they_complete(lambda message: _call(message, batch), sendable, limit=concurrency()):
        outcomes |= _record(answered, batch, now=now)
    return outcomes


def _call(message: Message, batch: _Batch) -> ProviderResult | ProviderError:
    """One provider call (on a pool thread: no database here). Whatever goes wrong is returned,
    never raised: an unexpected exception is this message's transient failure, and ambiguous
    (it may have come after the provider took the request)."""
    provider = batch.provider_of(message)
    # The one place every outbox send goes through: its latency per provider and outcome.
    with provider_call(provider=getattr(provider, "name", "unknown"), channel=message.channel) as call:
        try:
            result = provider.send(outbound(message))
        except ProviderError as exc:
            call["outcome"] = exc.kind
            return exc
        except Exception as exc:  # one call's bug must not lose the record of the others
            logger.exception("message %s: unexpected error in the %s provider call", message.pk, message.channel)
            return ProviderError(f"Unexpected error: {type(exc).__name__}: {exc}", code="unexpected_error",
                                 kind="transient", ambiguous=True)
        call["outcome"] = "accepted"
        return result


def _record(answered: list[tuple[Message, ProviderResult | ProviderError]], batch: _Batch, *,
            now) -> dict[int, Outcome]:
    """The answers that arrived together: acceptances in one transaction, then each failure."""
    accepted = [Accepted(m, answer, batch.price(m)) for m, answer in answered if isinstance(answer, ProviderResult)]
    record_acceptances(accepted, now=timezone.now())
    outcomes = {item.message.pk: Outcome(state=MessageState.SENT, provider=item.result.provider,
                                         channel=item.message.channel) for item in accepted}
    for message, answer in answered:
        if isinstance(answer, ProviderError):
            outcomes[message.pk] = _failed_attempt(message, answer, now=now)
    return outcomes


def outbound(message: Message) -> OutboundMessage:
    """The provider call for a message, from what planning stored with it; its channel adds its
    own parts (WhatsApp's template call, e-mail's List-Unsubscribe, SMS's status callback)."""
    return OutboundMessage(
        message_id=message.pk,
        channel=message.channel,
        to=message.recipient,
        body=message.body,
        subject=message.subject,
        html=message.html,
        from_name=message.brand.name,
        reply_to=message.brand.support_email,
        session=message.kind == MessageKind.SESSION,
        **channel_of(message.channel).outbound_fields(message),
    )


def _failed_attempt(message: Message, exc: ProviderError, *, now) -> Outcome:
    if exc.kind == "transient" and message.attempts < MAX_ATTEMPTS:
        logger.info("message %s: transient %s (attempt %s), retrying", message.pk, exc.code, message.attempts)
        retry_in = backoff(message.attempts, exc.retry_after)
        if exc.ambiguous:  # the provider may have it: give its webhooks time to say so first
            retry_in = max(retry_in, evidence.window_seconds())
        return release([message], retry_in=retry_in, now=now)[message.pk]
    if exc.kind == "permanent":  # this recipient is not on WhatsApp...: the brand's fallback, if any
        replaced = fallback.replace_unreachable(message, code=exc.code, text=str(exc), now=now)
        if replaced is not None:
            return replaced
    if exc.kind == "opt_out":
        opt_out(brand=message.brand, recipient=message.recipient, source=OptOut.Source.PROVIDER)
    if exc.kind == "config":
        # The platform's credentials or templates are wrong: an admin must act, retrying won't help.
        logger.error("message %s: provider configuration problem %s: %s", message.pk, exc.code, exc)
    return finish([message], MessageState.FAILED, exc.code, str(exc), now=now)[message.pk]
