"""Shoppers' replies on WhatsApp and SMS: stored once per provider id (a provider's retry does
nothing twice), then handed to the conversations (messaging/conversations/handling.py): the
thread, STOP/START for the brands the shopper meant, TRACK, the menu, in the shopper's language.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from messaging.conversations import handling
from messaging.models import InboundMessage
from messaging.webhooks import InboundText


def handle_inbound(inbound: InboundText, *, channel: str, provider: str) -> InboundMessage | None:
    """Act on one inbound text. None when it was already handled (a provider retry)."""
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                provider=provider, provider_message_id=inbound.provider_message_id[:255], channel=channel,
                sender=inbound.sender[:32], text=inbound.text[:1000],
            )
    except IntegrityError:
        return None
    handling.handle(record, inbound, channel=channel)
    return record
