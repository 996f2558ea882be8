"""Reads of conversations, always through the account: the Inbox list (newest first, unread
first-class, searchable) and the threads of a page of conversations in two queries, however
many conversations the page holds (no query per thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from brands.models import Account
from messaging.conversations.models import Conversation
from messaging.models import InboundMessage, Message
from messaging.optout_tokens import normalise_recipient
from messaging.webhooks import plus_digits
from tracking.models import Shipment

THREAD_LIMIT = 200  # newest items of one thread shown; older ones stay stored


def conversation_list(*, account: Account, brand: int | None = None, recipient: str | None = None,
                      search: str | None = None) -> QuerySet[Conversation]:
    rows = (Conversation.objects.for_account(account)
            .select_related("brand__account", "shipment").order_by("-last_activity_at", "-id"))
    if brand:
        rows = rows.filter(brand_id=brand)
    if recipient:
        # "+316..." arrives as " 316..." when a query string did not encode its "+".
        rows = rows.filter(recipient=normalise_recipient(recipient) if "@" in recipient else plus_digits(recipient))
    if search and search.strip():
        rows = rows.filter(_search(search.strip()))
    return rows


def _search(text: str) -> Q:
    """A phone number (any spelling), an e-mail address or an order number of the shopper's parcels."""
    found = Q(pk__in=[])
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4 and not any(ch.isalpha() for ch in text):
        found |= Q(recipient__contains=digits)
    parcels = Shipment.objects.filter(brand_id=OuterRef("brand_id"), recipient_phone=OuterRef("recipient"))
    if "@" in text:
        found |= Exists(parcels.filter(recipient_email__iexact=text))
    else:
        order = text.lstrip("#")
        found |= Exists(parcels.filter(order_number__in={order, f"#{order}"}))
    return found


@dataclass(frozen=True)
class ThreadItem:
    direction: str  # "in" (the shopper wrote) | "out" (a message to the shopper)
    at: datetime
    channel: str
    text: str
    inbound: InboundMessage | None = None
    message: Message | None = None


def threads(conversations: list[Conversation]) -> dict[int, list[ThreadItem]]:
    """Conversation id -> its items, oldest first (the newest THREAD_LIMIT). Two queries in all."""
    if not conversations:
        return {}
    account = conversations[0].brand.account
    pairs = {(c.brand_id, c.recipient): c.pk for c in conversations}
    brand_ids = {brand_id for brand_id, _ in pairs}
    recipients = {recipient for _, recipient in pairs}
    items: dict[int, list[ThreadItem]] = {c.pk: [] for c in conversations}
    outbound = (Message.objects.for_account(account).filter(brand_id__in=brand_ids, recipient__in=recipients)
                .only("id", "brand_id", "recipient", "channel", "kind", "body", "state", "created_at",
                      "trigger_status", "shipment_id", "error_code"))
    for message in outbound.order_by("-created_at")[:THREAD_LIMIT * len(pairs)]:
        key = pairs.get((message.brand_id, message.recipient))
        if key is not None:
            items[key].append(ThreadItem("out", message.created_at, message.channel, message.body, message=message))
    inbound = InboundMessage.objects.for_account(account).filter(brand_id__in=brand_ids, sender__in=recipients)
    for record in inbound.order_by("-received_at")[:THREAD_LIMIT * len(pairs)]:
        key = pairs.get((record.brand_id, record.sender))
        if key is not None:
            items[key].append(ThreadItem("in", record.received_at, record.channel, record.text, inbound=record))
    for key, rows in items.items():
        rows.sort(key=lambda item: item.at)
        items[key] = rows[-THREAD_LIMIT:]
    return items


def conversation_thread(conversation: Conversation) -> list[ThreadItem]:
    return threads([conversation])[conversation.pk]
