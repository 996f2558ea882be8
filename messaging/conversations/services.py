"""Writes of conversations: an inbound text moves its thread on; a merchant reads a thread and
answers inside the shopper's 24-hour window with a free session message, which is an outbound
Message (kind `session`) sent by the same outbox and sender as every other message."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext  # the panel's language; the API answers in English

from brands.models import Brand
from core.errors import RuleViolation
from messaging.conversations.models import Conversation
from messaging.dispatch.optouts import is_opted_out
from messaging.models import Message, MessageKind, MessageState
from tracking.models import Shipment
from tracking.statuses import Status

# WhatsApp's customer service window: a free-form message only this long after the shopper's last one.
REPLY_WINDOW = timedelta(hours=24)
MAX_REPLY_LENGTH = 1000


def conversation_record_inbound(*, brand: Brand, recipient: str, channel: str, shipment_id: int | None,
                                language: str, at: datetime) -> Conversation:
    """The shopper wrote: the thread is active, unread and its reply window open (one upsert)."""
    defaults = {"channel": channel, "language": language or brand.default_language, "last_activity_at": at,
                "last_inbound_at": at}
    if shipment_id is not None:
        defaults["shipment_id"] = shipment_id
    conversation, _ = Conversation.objects.for_account(brand.account).update_or_create(
        brand=brand, recipient=recipient, defaults=defaults)
    return conversation


def window_closes_at(conversation: Conversation) -> datetime | None:
    return conversation.last_inbound_at + REPLY_WINDOW if conversation.last_inbound_at else None


def window_open(conversation: Conversation, *, now: datetime | None = None) -> bool:
    closes = window_closes_at(conversation)
    return closes is not None and (now or timezone.now()) < closes


def conversation_mark_read(*, conversation: Conversation, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if conversation.unread:
        Conversation.objects.filter(pk=conversation.pk).update(last_read_at=now)
        conversation.last_read_at = now


def conversation_reply(*, conversation: Conversation, text: str, now: datetime | None = None) -> Message:
    """Answer the shopper (the conversation was found through the merchant's account). Refused,
    with nothing saved, outside the 24-hour window, to an opted-out shopper or when empty."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise RuleViolation("text", gettext("Write a reply first."), code="empty_reply")
    if len(text) > MAX_REPLY_LENGTH:
        raise RuleViolation("text", gettext("A reply has at most %(limit)d characters (%(given)d given).")
                            % {"limit": MAX_REPLY_LENGTH, "given": len(text)},
                            code="reply_too_long")
    if not window_open(conversation, now=now):
        raise RuleViolation(
            "text",
            gettext("The 24-hour reply window is closed: the shopper last wrote more than 24 hours ago")
            if conversation.last_inbound_at else gettext("The shopper has not written yet"),
            code="reply_window_closed",
        )
    brand = conversation.brand
    if is_opted_out(brand=brand, recipient=conversation.recipient):
        raise RuleViolation("text", gettext("This shopper unsubscribed from %(brand)s (STOP): nothing can be sent.")
                            % {"brand": brand.name},
                            code="opted_out")
    shipment = conversation.shipment or (
        Shipment.objects.for_account(brand.account).filter(brand=brand, recipient_phone=conversation.recipient)
        .order_by("-created_at").first())
    if shipment is None:
        raise RuleViolation("text", "No shipment of this brand goes to this shopper any more.", code="no_shipment")
    with transaction.atomic():
        message = Message.objects.create(
            shipment=shipment, brand=brand, channel=conversation.channel, kind=MessageKind.SESSION,
            trigger_status=shipment.status or Status.READY_TO_SHIP, occurrence=0, language=conversation.language,
            recipient=conversation.recipient, body=text, state=MessageState.QUEUED,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now, last_read_at=now)
        transaction.on_commit(lambda: _enqueue(message.pk))
    conversation.last_activity_at = conversation.last_read_at = now
    return message


def _enqueue(message_id: int) -> None:
    from messaging.tasks import enqueue_sends  # the tasks import the dispatch modules

    enqueue_sends([message_id])
