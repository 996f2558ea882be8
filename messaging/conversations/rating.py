"""Delivery rating: the question after `delivered` (a brand setting, with a delay), the shopper's
"1".."5" by reply and the next text as its comment, and the signed links of the rating e-mail
(`/rate/<token>/<score>/`, rating_views.py)."""

from __future__ import annotations

import re
from datetime import datetime

from django.core import signing
from django.urls import reverse
from django.utils.html import escape, format_html

from messaging.channels import channel_of, channel_with
from messaging.conversations import asks, keywords, replies
from messaging.models import AskStep, DeliveryRating, ShopperAsk
from messaging.services.shopper_requests import delivery_rating_comment, delivery_rating_create
from tracking.models import Shipment

_SALT = "parcelcast.rating"
SCORES = range(1, 6)
# "4", "4.", "4/5", " 5 ": a score; "4 stars were too many" is not (it goes to the menu).
_SCORE = re.compile(r"^\s*([1-5])\s*(?:/\s*5)?\s*[.!]?\s*$")


def rating_token(shipment: Shipment) -> str:
    """Signed (SECRET_KEY) and bound to the shipment's tracking token: a score link cannot be
    pointed at another shipment."""
    return signing.dumps(shipment.tracking_token, salt=_SALT)


def shipment_for_token(token: str) -> Shipment | None:
    """The shipment of a score link; None when the token was tampered with or is unknown."""
    try:
        tracking_token = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    # Public page: the signed token is the authority, as the tracking token is for /track/.
    return Shipment.objects.filter(tracking_token=tracking_token).select_related("brand").first()


def rating_links(shipment: Shipment) -> list[tuple[int, str]]:
    from django.conf import settings

    token = rating_token(shipment)
    return [(score, settings.PUBLIC_BASE_URL + reverse("rate", args=[token, score])) for score in SCORES]


def _order(shipment: Shipment) -> str:
    return shipment.order_number or shipment.tracking_number


def send_question(ask: ShopperAsk, now: datetime) -> None:
    """WhatsApp (session text) when the shopper's window is open; the e-mail with five links when
    the shipment has an address. Neither: the question is closed unasked."""
    shipment, brand, language = ask.shipment, ask.brand, ask.shipment.language
    asked = False
    if ask.recipient and asks.window_open(brand=brand, recipient=ask.recipient, now=now):
        text = replies.ask_text("rating_question", language, brand=brand.name, order=_order(shipment))
        asked = bool(asks.send_session(brand=brand, channel=channel_with("session_window"), to=ask.recipient, text=text))
    if channel_of(channel_with("asks_by_link")).address_of(shipment):
        asked = bool(send_email(shipment)) or asked
    if not asked:
        asks.ask_close(ask, now=now)


def send_email(shipment: Shipment) -> str:
    from messaging.dispatch.composing import email_html
    from messaging.providers.base import OutboundMessage, ProviderError
    from messaging.providers.registry import get_provider
    from messaging.rendering import unsubscribe_url

    brand, language = shipment.brand, shipment.language
    subject = replies.ask_text("rating_email_subject", language, brand=brand.name)
    intro = replies.ask_text("rating_email_intro", language, order=_order(shipment))
    links = rating_links(shipment)
    body = "\n".join([intro, "", *(f"{score}: {url}" for score, url in links)])
    buttons = " ".join(format_html('<a href="{}" style="display:inline-block;padding:8px 14px;margin:2px;'
                                   'border:1px solid #ccc;border-radius:6px;text-decoration:none">{}</a>', url, score)
                       for score, url in links)
    unsubscribe = unsubscribe_url(brand.pk, channel_of(channel_with("asks_by_link")).address_of(shipment))
    html = email_html(brand=brand, subject=subject, content=f"<p>{escape(intro)}</p><p>{buttons}</p>",
                      unsubscribe_url=unsubscribe, language=language)
    channel = channel_with("asks_by_link")
    try:
        return get_provider(channel).send(OutboundMessage(
            message_id=0, channel=channel, to=channel_of(channel).address_of(shipment), subject=subject, body=body, html=html,
            unsubscribe_url=unsubscribe, from_name=brand.name, reply_to=brand.support_email)).provider_message_id
    except ProviderError as exc:
        asks.logger.warning("rating e-mail for shipment %s failed: %s", shipment.pk, exc)
        return ""


class RatingQuestion:
    """The pending question of handling.pending_question: first a score, then any text as its comment."""

    def __init__(self, ask: ShopperAsk):
        self.ask = ask

    def answer(self, kind: str, text: str = "", *, language: str) -> tuple[str, str] | None:
        brand, shipment = self.ask.brand, self.ask.shipment
        if self.ask.step == AskStep.COMMENT:
            if kind not in (keywords.YES, keywords.NO, keywords.UNKNOWN) or not text.strip():
                return None
            rating = DeliveryRating.objects.filter(shipment=shipment).first()
            if rating is not None and asks.ask_close(self.ask):
                delivery_rating_comment(rating=rating, comment=text)
            return "rating_comment", replies.ask_text("comment_thanks", language, brand=brand.name)
        match = _SCORE.match(text or "")
        if match is None:
            return None
        rating, created = delivery_rating_create(shipment=shipment, score=int(match.group(1)))
        if created:
            asks.ask_await_comment(self.ask)
        else:  # rated already (the e-mail link): that rating stands
            asks.ask_close(self.ask)
        return "rating", replies.ask_text("rating_thanks", language, brand=brand.name, score=str(rating.score))
