"""Shoppers' replies on WhatsApp and SMS: stored once per provider id (a provider's retry does
nothing twice), then handed to the conversations (messaging/conversations/handling.py): the
thread, STOP/START for the brands the shopper meant, TRACK, the menu, in the shopper's language.

A WhatsApp shopper may show a business-scoped user id beside or instead of the number: with both,
the pair is learnt; with the user id alone, the number learnt from an earlier webhook stands in
(dispatch/identities.py), so STOP opts out the right number and TRACK answers. A user id never
seen with a number is an unknown sender: nothing is opted out or answered on a guess.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from messaging.conversations import handling
from messaging.dispatch.identities import identities_learn, phone_for_user_id
from messaging.models import InboundMessage
from messaging.webhooks import InboundText


def handle_inbound(inbound: InboundText, *, channel: str, provider: str) -> InboundMessage | None:
    """Act on one inbound text. None when it was already handled (a provider retry)."""
    user_id = inbound.sender_user_id
    if inbound.sender and user_id:
        identities_learn([(inbound.sender, user_id)], at=inbound.at)
    sender = inbound.sender or phone_for_user_id(user_id)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                provider=provider, provider_message_id=inbound.provider_message_id[:255], channel=channel,
                sender=sender[:32], sender_user_id=user_id[:64], text=inbound.text[:1000],
            )
    except IntegrityError:
        return None
    if not sender:  # a user id never seen beside a phone number: nobody we can act for or answer
        record.action = "unknown_sender"
        record.save(update_fields=["action"])
        return record
    handling.handle(record, inbound, channel=channel, sender=sender, user_id=user_id)
    return record
