"""Shoppers' replies on WhatsApp and SMS: STOP opts out, START opts back in, and
`TRACK <order number>` (or a bare order number) answers with the parcel's status and link.

The brand a reply is about is the brand whose own number received it (a brand's own WhatsApp
number), else the brand that last messaged that number from the platform's number on that channel
(the conversation it answers). TRACK looks only among that sender's own shipments of that brand.
Each inbound message is stored once per provider id, so a provider's retry does nothing twice.

A WhatsApp shopper may show a business-scoped user id beside or instead of the number: with both,
the pair is learnt; with the user id alone, the number learnt from an earlier webhook stands in
(dispatch/identities.py), so STOP opts out the right number and TRACK answers. A user id never
seen with a number is an unknown sender: nothing is opted out or answered on a guess.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from django.db import IntegrityError, transaction

from messaging.channels import channel_of
from messaging.dispatch.identities import identities_learn, phone_for_user_id
from messaging.dispatch.optouts import opt_in, opt_out
from messaging.models import InboundMessage, Message, OptOut
from messaging.providers.base import ProviderError
from messaging.rendering import tracking_url
from messaging.webhooks import InboundText
from tracking.models import Shipment
from tracking.statuses import status_label

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPP", "ARRET", "ALTO", "BASTA", "UNSUBSCRIBE", "STOPALL", "CANCEL", "END", "QUIT",
              "AFMELDEN", "ABMELDEN", "BAJA", "ANNULLA"}
START_WORDS = {"START", "UNSTOP", "RESUME", "AANMELDEN", "ANMELDEN"}
TRACK = re.compile(r"^(?:TRACK|TRACKING|VOLG|SUIVI|SENDUNG|SEGUIMIENTO|TRACCIA)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,63})$")

REPLIES = {
    "stop": "{brand}: you will not receive any more parcel updates from us. Reply START to subscribe again.",
    "start": "{brand}: you will receive parcel updates again. Reply STOP to unsubscribe.",
    "found": "{brand}: order {order} is {status}. Track it here: {url}",
    "not_found": "{brand}: we could not find order {order} for this number. Check the number on your order confirmation.",
    "help": "{brand}: reply TRACK followed by your order number (e.g. TRACK 10428) to see where your parcel is.",
}


def _normalise(text: str) -> str:
    # "Arrêt", " stop! " and "Stop." all mean STOP.
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^\w#\s-]", "", plain).strip().upper()


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
    own = channel_of(channel).receiving_sender(inbound.phone_number_id)
    if own is not None:
        # Sent to a brand's own number: that brand's conversation, whoever else wrote to the shopper.
        brand = own.brand
    else:
        last = (
            # The conversation this reply belongs to: our latest message from the platform's number
            # to that number on that channel.
            channel_of(channel).platform_messages(Message.objects.filter(recipient=sender, channel=channel))
            .select_related("brand__account").order_by("-created_at").first()
        )
        if last is None:
            record.action = "unknown_sender"
            record.save(update_fields=["action"])
            return record
        brand = last.brand
    record.brand = brand
    words = _normalise(inbound.text)
    if words in STOP_WORDS:
        opt_out(brand=brand, recipient=sender, source=OptOut.Source.REPLY, user_id=user_id)
        record.action, reply = "stop", REPLIES["stop"].format(brand=brand.name)
    elif words in START_WORDS:
        opt_in(brand=brand, recipient=sender)
        record.action, reply = "start", REPLIES["start"].format(brand=brand.name)
    elif match := TRACK.match(words):
        record.action, reply = "track", _track_reply(brand, sender, match.group(1))
    else:
        record.action, reply = "help", REPLIES["help"].format(brand=brand.name)
    if channel_of(channel).answers_stop_itself and record.action in ("stop", "start"):
        # Carriers and Twilio answer STOP/START on SMS themselves (and block our reply to STOP).
        reply = ""
    record.reply = reply
    record.reply_provider_message_id = _send_reply(channel, sender, reply, own=own) if reply else ""
    record.save(update_fields=["brand", "action", "reply", "reply_provider_message_id"])
    return record


def _track_reply(brand, sender: str, order: str) -> str:
    candidates = {order, f"#{order}"}
    shipment = (
        Shipment.objects.for_account(brand.account)
        .filter(brand=brand, recipient_phone=sender, order_number__in=candidates)
        .order_by("-created_at").first()
    )
    if shipment is None:
        # Same answer whether the order does not exist or belongs to someone else.
        return REPLIES["not_found"].format(brand=brand.name, order=order)
    status = status_label(shipment.status, shipment.language) if shipment.status else status_label("ready_to_ship", shipment.language)
    return REPLIES["found"].format(brand=brand.name, order=shipment.order_number, status=status.lower(),
                                   url=tracking_url(shipment.tracking_token))


def _send_reply(channel: str, to: str, text: str, *, own=None) -> str:
    """A free session reply (inside the 24-hour window on WhatsApp); never a Message, never charged.
    It goes from the number the shopper wrote to: a brand's own (`own`), else the platform's."""
    from messaging.providers.registry import get_provider
    from messaging.providers.session import send_session_text

    try:
        if own is not None:
            provider = channel_of(channel).brand_providers({own.brand_id})[own.brand_id]
        else:
            provider = get_provider(channel)
        return send_session_text(provider, to=to, text=text)
    except ProviderError as exc:
        logger.warning("reply to inbound on %s failed: %s", channel, exc)
        return ""

