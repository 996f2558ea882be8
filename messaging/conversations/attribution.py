"""Which brand an inbound text is about, and which brands a STOP or START is meant for.

On a brand's own WhatsApp number the answer is that brand: `sender_for_number` says whose number
received the text (messaging.senders). On the platform's shared number (or a shared SMS sender) the conversation is
the one of the brand that wrote to this shopper last on that channel, and a STOP means "stop
writing to me": every brand that wrote to the shopper there in the last 30 days is stopped (the
shopper cannot tell which shop a shared number speaks for at the moment they answer).

System work on an inbound from a signed provider webhook: no tenant acts, so the queries are by
recipient over every account, read through the (recipient, created_at) index of messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max

from brands.models import Brand
from messaging.channels import channel_of
from messaging.models import Message

SHARED_NUMBER_LOOKBACK = timedelta(days=30)


def sender_for_number(channel: str, phone_number_id: str):
    """The brand's own sender (messaging.senders) whose number `phone_number_id` is; None for the
    platform's shared number."""
    return channel_of(channel).receiving_sender(phone_number_id) if phone_number_id else None


@dataclass
class Attribution:
    brand: Brand | None  # the conversation's brand (None: nobody ever wrote to this number)
    shipment_id: int | None = None  # the parcel of that brand's latest message to the shopper
    language: str = ""  # the language of that message: the shopper's language
    own: object = None  # the brand's own sender, when the shopper wrote to the brand's own number
    # The brands a STOP or START acts on (the conversation's brand first).
    brands: list[Brand] = field(default_factory=list)


def attribute(*, sender: str, channel: str, phone_number_id: str, now: datetime) -> Attribution:
    own_sender = sender_for_number(channel, phone_number_id)
    own = own_sender.brand if own_sender is not None else None
    sent = Message.objects.filter(recipient=sender, channel=channel)
    if own is not None:
        sent = sent.filter(brand=own)
    else:  # a reply to the shared number answers one of the messages sent from it
        sent = channel_of(channel).platform_messages(sent)
    last = sent.select_related("brand__account").order_by("-created_at", "-id").first()
    if own is not None:
        return Attribution(brand=own, shipment_id=last.shipment_id if last else None,
                           language=last.language if last else own.default_language, own=own_sender, brands=[own])
    if last is None:
        return Attribution(brand=None)
    recent_ids = list(
        sent.filter(created_at__gte=now - SHARED_NUMBER_LOOKBACK).order_by()
        .values("brand_id").annotate(latest=Max("created_at")).order_by("-latest").values_list("brand_id", flat=True)
    )
    others = Brand.objects.select_related("account").in_bulk([pk for pk in recent_ids if pk != last.brand_id])
    # The brand that wrote last always hears the STOP, even when it wrote longer ago than the lookback.
    brands = [last.brand, *(others[pk] for pk in recent_ids if pk in others)]
    return Attribution(brand=last.brand, shipment_id=last.shipment_id, language=last.language, brands=brands)
