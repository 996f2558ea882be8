"""One shopper's text, from attribution to the bot's answer.

The text joins its conversation (brand, shopper); STOP and START act on the brands the shopper
meant (attribution.py); a guided exchange after a failed delivery (exchanges.py: started by a
quick-reply tap or SMS 1/2/3, then numbers, YES/NO and free text) takes the text first; TRACK
answers with the parcel's status; YES and NO go to the question waiting for an answer, if any
(`pending_question`); anything else gets the short menu. Answers are whole sentences in the
shopper's language (replies.py), sent as free session replies (an exchange's choices as a
WhatsApp list where the channel has them).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from django.utils import timezone

from brands.models import Brand
from messaging.channels import channel_of
from messaging.conversations import exchanges, keywords, replies
from messaging.conversations.attribution import Attribution, attribute
from messaging.conversations.services import conversation_record_inbound
from messaging.dispatch.optouts import opt_in, opt_out
from messaging.models import InboundMessage, OptOut
from messaging.providers.base import ProviderError
from messaging.rendering import tracking_url
from messaging.webhooks import InboundText
from tracking.models import Shipment
from tracking.statuses import Status

logger = logging.getLogger(__name__)


class PendingQuestion(Protocol):
    """A question the shopper was asked and may answer (cash on delivery's YES/NO, a rating's
    score and comment: messaging.conversations.asks)."""

    def answer(self, kind: str, text: str = "", *, language: str) -> tuple[str, str] | None:
        """(action, reply text) for the shopper's YES, NO or other text; None: not an answer to it."""


def pending_question(*, brand: Brand, recipient: str, channel: str) -> PendingQuestion | None:
    """The question waiting for this shopper's answer, if any (the latest asked)."""
    from messaging.conversations.questions import question_for

    return question_for(brand=brand, recipient=recipient)


def handle(record: InboundMessage, inbound: InboundText, *, channel: str, sender: str = "", user_id: str = "",
           now: datetime | None = None) -> None:
    """Act on a stored inbound text and answer it; the record keeps the brand, action and reply.
    `sender`: the shopper's number (from the webhook, or learnt for a user id)."""
    now = now or timezone.now()
    sender = sender or inbound.sender
    who = attribute(sender=sender, channel=channel, phone_number_id=inbound.phone_number_id, now=now)
    if who.brand is None:
        record.action = "unknown_sender"
        record.save(update_fields=["action"])
        return
    record.brand, record.shipment_id = who.brand, who.shipment_id
    language = who.language or who.brand.default_language
    conversation = conversation_record_inbound(brand=who.brand, recipient=sender, channel=channel,
                                               shipment_id=who.shipment_id, language=language, at=now)
    intent = keywords.classify(inbound.text)
    # A guided exchange under way (or started by this text) takes YES/NO, numbers and free text.
    step = exchanges.respond(conversation=conversation, brand=who.brand, shipment_id=who.shipment_id,
                             text=inbound.text, payload=inbound.payload, intent=intent, now=now)
    if step is not None:
        record.action, record.reply = step.action, step.text
        record.reply_provider_message_id = send_exchange_reply(channel, sender, step, own=who.own)
        record.save(update_fields=["brand", "shipment", "action", "reply", "reply_provider_message_id"])
        return
    record.action, reply = _answer(intent, who, sender, channel, language, user_id=user_id, text=inbound.text)
    if channel_of(channel).answers_stop_itself and record.action in (keywords.STOP, keywords.START):
        # Carriers and Twilio answer STOP/START on SMS themselves (and block our reply to STOP).
        reply = ""
    record.reply = reply
    record.reply_provider_message_id = send_reply(channel, sender, reply, own=who.own) if reply else ""
    record.save(update_fields=["brand", "shipment", "action", "reply", "reply_provider_message_id"])


def _answer(intent: keywords.Intent, who: Attribution, sender: str, channel: str, language: str, *,
            user_id: str = "", text: str = "") -> tuple[str, str]:
    brand = who.brand
    names = replies.join_names([b.name for b in who.brands], language)
    if intent.kind == keywords.STOP:
        for each in who.brands:
            opt_out(brand=each, recipient=sender, source=OptOut.Source.REPLY, user_id=user_id)
        return intent.kind, replies.reply_text("stop", language, brands=names)
    if intent.kind == keywords.START:
        for each in who.brands:
            opt_in(brand=each, recipient=sender)
        return intent.kind, replies.reply_text("start", language, brands=names)
    if intent.kind == keywords.TRACK:
        return intent.kind, _track(brand, who.shipment_id, sender, intent.order, language)
    if intent.kind in (keywords.YES, keywords.NO, keywords.UNKNOWN):
        pending = pending_question(brand=brand, recipient=sender, channel=channel)
        answered = pending.answer(intent.kind, text, language=language) if pending is not None else None
        if answered is not None:
            return answered
    if intent.kind in (keywords.YES, keywords.NO, keywords.HELP):
        return intent.kind, replies.menu(brand=brand.name, language=language)
    return keywords.UNKNOWN, replies.menu(brand=brand.name, language=language, understood=False)


def _track(brand: Brand, shipment_id: int | None, sender: str, order: str, language: str) -> str:
    # Only among this shopper's own parcels of this brand: the same answer whether an order does
    # not exist or is someone else's.
    own = Shipment.objects.for_account(brand.account).filter(brand=brand, recipient_phone=sender)
    if order:
        shipment = own.filter(order_number__in={order, f"#{order}"}).order_by("-created_at").first()
        if shipment is None:
            return replies.reply_text("track_not_found", language, brand=brand.name, order=order)
    else:
        shipment = own.filter(pk=shipment_id).first() if shipment_id else None
        if shipment is None:
            return replies.reply_text("track_none", language, brand=brand.name)
    return replies.track_found(brand=brand.name, order=shipment.order_number or shipment.tracking_number,
                               status=shipment.status or Status.READY_TO_SHIP,
                               url=tracking_url(shipment.tracking_token), language=language)


def send_reply(channel: str, to: str, text: str, *, own=None) -> str:
    """A free session reply (inside the 24-hour window on WhatsApp) of the bot: not a Message,
    never charged. It goes from the number the shopper wrote to: a brand's own (`own`, its
    sender), else the platform's. Returns the provider's id, '' when it could not be sent."""
    from messaging.providers.session import send_session_text

    try:
        return send_session_text(_reply_provider(channel, own), to=to, text=text)
    except ProviderError as exc:
        logger.warning("reply to inbound on %s failed: %s", channel, exc)
        return ""


def send_exchange_reply(channel: str, to: str, step: exchanges.Reply, *, own=None) -> str:
    """An exchange's answer: its choices as a list to tap where the channel has session lists,
    else (and for a plain question) the text with the choices numbered."""
    if not (step.rows and channel_of(channel).session_lists):
        return send_reply(channel, to, step.text, own=own)
    from messaging.providers.session import send_session_list

    try:
        return send_session_list(_reply_provider(channel, own), to=to, body=step.list_body, button=step.button,
                                 rows=step.rows)
    except ProviderError as exc:
        logger.warning("list reply to inbound on %s failed: %s", channel, exc)
        return ""


def _reply_provider(channel: str, own):
    from messaging.providers.registry import get_provider

    if own is not None:
        return channel_of(channel).brand_providers({own.brand_id})[own.brand_id]
    return get_provider(channel)
