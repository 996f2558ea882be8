"""Questions the bot asks a shopper and waits on (messaging.models.ShopperAsk): opened from status
entries, sent and reminded by a beat task, answered through `handling.pending_question`.

- Cash on delivery (cod.py): at `ready_to_ship`, for a shipment with an amount and a phone. The
  question rides in that status's SMS (composing appends it); on WhatsApp it goes as a free
  session text when the shopper's 24-hour window is open (a template cannot carry it). No answer
  after 24 hours: one reminder (WhatsApp in an open window, else SMS), then nothing.
- Delivery rating (rating.py): at `delivered`, for a brand that switched it on, after its delay:
  a WhatsApp session text when the window is open, and an e-mail with five score links; no
  reminder.

Sends happen after the claim's commit and at most once: a worker killed between the two loses
a question, never repeats one (a reminder sent twice is worse than none).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from brands.models import Account, Brand
from messaging.channels import channel_of
from messaging.conversations.models import Conversation
from messaging.conversations.services import REPLY_WINDOW
from messaging.models import AskKind, AskStep, ShopperAsk
from messaging.optout_tokens import normalise_recipient
from messaging.providers.base import ProviderError
from tracking.models import Shipment
from tracking.statuses import Status

logger = logging.getLogger(__name__)

REMIND_AFTER = timedelta(hours=24)
COD_ANSWERS_UNTIL = timedelta(hours=72)  # after the question: a later YES is not taken as a confirmation
RATING_ANSWERS_UNTIL = timedelta(days=7)
COMMENT_WITHIN = timedelta(hours=24)  # after the score: the next text within this is its comment
BATCH = 200
OPEN_STEPS = (AskStep.REMIND, AskStep.WAIT, AskStep.COMMENT)


def asks_open_for_entries(entries: Iterable, *, now: datetime | None = None) -> int:
    """Open the questions these status entries call for (in the planning transaction): one per
    (shipment, kind), a replayed entry opens nothing. Returns how many were new."""
    now = now or timezone.now()
    by_status: dict[str, set[int]] = {Status.READY_TO_SHIP: set(), Status.DELIVERED: set()}
    for entry in entries:
        if entry.status in by_status:
            by_status[entry.status].add(entry.shipment_id)
    ids = by_status[Status.READY_TO_SHIP] | by_status[Status.DELIVERED]
    if not ids:
        return 0
    rows = []
    for account in Account.objects.filter(brands__shipments__id__in=ids).distinct():
        shipments = Shipment.objects.for_account(account)
        cod = (shipments.filter(pk__in=by_status[Status.READY_TO_SHIP], cash_on_delivery_amount__isnull=False)
               .exclude(recipient_phone="").values_list("pk", "brand_id", "recipient_phone"))
        rows += [ShopperAsk(shipment_id=pk, brand_id=brand_id, kind=AskKind.COD, recipient=normalise_recipient(phone),
                            due_at=now) for pk, brand_id, phone in cod]
        rated = (shipments.filter(pk__in=by_status[Status.DELIVERED], brand__rating_ask_enabled=True)
                 .values_list("pk", "brand_id", "recipient_phone", "brand__rating_ask_delay_hours"))
        rows += [ShopperAsk(shipment_id=pk, brand_id=brand_id, kind=AskKind.RATING, recipient=normalise_recipient(phone),
                            due_at=now + timedelta(hours=delay)) for pk, brand_id, phone, delay in rated]
    return len(ShopperAsk.objects.bulk_create(rows, ignore_conflicts=True)) if rows else 0


def asks_run_due(*, now: datetime | None = None) -> int:
    """The beat task's work: claim the asks due (partial index on due_at, SKIP LOCKED), move each
    to its next step, commit, then send. Returns how many were handled."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(ShopperAsk.objects.filter(due_at__lte=now).select_for_update(skip_locked=True, of=("self",))
                   .select_related("brand", "shipment").order_by("due_at")[:BATCH])
        sends = [(ask, _advance(ask, now)) for ask in due]
    for ask, send in sends:
        send(ask, now)
    return len(due)


def _advance(ask: ShopperAsk, now: datetime):
    """Save the ask's next step; return what to send once that is committed."""
    from messaging.conversations import cod, rating

    if ask.step == AskStep.ASK:
        ask.asked_at = now
        if ask.kind == AskKind.COD:
            ask.step, ask.due_at, ask.expires_at = AskStep.REMIND, now + REMIND_AFTER, now + COD_ANSWERS_UNTIL
            send = cod.send_question
        else:
            ask.step, ask.due_at, ask.expires_at = AskStep.WAIT, None, now + RATING_ANSWERS_UNTIL
            send = rating.send_question
    else:  # REMIND (only cash on delivery has one): the one reminder, then nothing more is due
        ask.step, ask.due_at, ask.reminded_at = AskStep.WAIT, None, now
        send = cod.send_reminder
    ask.save(update_fields=["step", "due_at", "asked_at", "expires_at", "reminded_at"])
    return send


def ask_pending(*, brand: Brand, recipient: str, now: datetime | None = None) -> ShopperAsk | None:
    """The open question a reply of this shopper to this brand answers: the latest asked."""
    now = now or timezone.now()
    return (ShopperAsk.objects.for_account(brand.account)
            .filter(brand=brand, recipient=normalise_recipient(recipient), answered_at__isnull=True,
                    step__in=OPEN_STEPS, expires_at__gt=now)
            .select_related("shipment", "brand").order_by("-asked_at").first())


def ask_close(ask: ShopperAsk, *, now: datetime | None = None) -> bool:
    """Close the question; False when another reply closed it first (the answer is not taken twice)."""
    now = now or timezone.now()
    closed = ShopperAsk.objects.filter(pk=ask.pk, answered_at__isnull=True).update(
        answered_at=now, step=AskStep.CLOSED, due_at=None)
    return closed == 1


def ask_await_comment(ask: ShopperAsk, *, now: datetime | None = None) -> None:
    """The score is in: the shopper's next text within COMMENT_WITHIN is its comment."""
    now = now or timezone.now()
    ShopperAsk.objects.filter(pk=ask.pk, answered_at__isnull=True).update(
        step=AskStep.COMMENT, expires_at=now + COMMENT_WITHIN, due_at=None)


def window_open(*, brand: Brand, recipient: str, now: datetime) -> bool:
    """Whether the shopper wrote to the brand in the last 24 hours (a free session text may go)."""
    return (Conversation.objects.for_account(brand.account)
            .filter(brand=brand, recipient=recipient, last_inbound_at__gt=now - REPLY_WINDOW).exists())


def send_session(*, brand: Brand, channel: str, to: str, text: str) -> str:
    """A free text from the brand's number on `channel` (its own WhatsApp number, else the
    platform's). Not a Message: not charged. Returns the provider's id, '' when it failed."""
    from messaging.providers.registry import get_provider
    from messaging.providers.session import send_session_text

    try:
        provider = channel_of(channel).brand_providers({brand.pk}).get(brand.pk) or get_provider(channel)
        return send_session_text(provider, to=to, text=text)
    except ProviderError as exc:
        logger.warning("question to %s on %s failed: %s", brand.pk, channel, exc)
        return ""
