"""Cash on delivery: "reply YES to confirm <amount>" at ready to ship, the shopper's YES or NO
turned into a `cod_confirmed` / `cod_declined` shopper request for the merchant, and the one
reminder (asks.py runs the steps)."""

from __future__ import annotations

from datetime import datetime

from messaging.channels import channel_with
from messaging.conversations import asks, keywords, replies
from messaging.conversations.money import format_money
from messaging.models import ShopperAsk, ShopperRequestKind
from messaging.services.shopper_requests import shopper_request_create
from tracking.statuses import Status


def amount_text(shipment, language: str | None) -> str:
    return format_money(shipment.cash_on_delivery_amount, shipment.cash_on_delivery_currency, language)


def question_text(*, brand, shipment, language: str | None, key: str = "cod_question") -> str:
    return replies.ask_text(key, language, brand=brand.name, order=shipment.order_number or shipment.tracking_number,
                            amount=amount_text(shipment, language))


def question_for_message(*, brand, shipment, status: str, language: str) -> str:
    """The sentence a text message about `status` carries for this shipment: the question at
    ready to ship for a cash-on-delivery order, else ''."""
    if status != Status.READY_TO_SHIP or getattr(shipment, "cash_on_delivery_amount", None) is None:
        return ""
    return question_text(brand=brand, shipment=shipment, language=language)


def send_question(ask: ShopperAsk, now: datetime) -> None:
    # The status's SMS carries the question already; the session channel (WhatsApp) only in an open
    # window (a template cannot carry it, a session text can).
    if asks.window_open(brand=ask.brand, recipient=ask.recipient, now=now):
        text = question_text(brand=ask.brand, shipment=ask.shipment, language=ask.shipment.language)
        asks.send_session(brand=ask.brand, channel=channel_with("session_window"), to=ask.recipient, text=text)


def send_reminder(ask: ShopperAsk, now: datetime) -> None:
    # In the open window on the session channel, else on the channel whose texts take replies (SMS).
    window = asks.window_open(brand=ask.brand, recipient=ask.recipient, now=now)
    channel = channel_with("session_window" if window else "takes_replies")
    text = question_text(brand=ask.brand, shipment=ask.shipment, language=ask.shipment.language, key="cod_reminder")
    asks.send_session(brand=ask.brand, channel=channel, to=ask.recipient, text=text)


class CodQuestion:
    """The pending question of handling.pending_question: YES or NO, nothing else."""

    def __init__(self, ask: ShopperAsk):
        self.ask = ask

    def answer(self, kind: str, text: str = "", *, language: str) -> tuple[str, str] | None:
        if kind not in (keywords.YES, keywords.NO):
            return None
        shipment = self.ask.shipment
        request_kind = ShopperRequestKind.COD_CONFIRMED if kind == keywords.YES else ShopperRequestKind.COD_DECLINED
        if asks.ask_close(self.ask):
            shopper_request_create(shipment=shipment, kind=request_kind,
                                   details={"amount": str(shipment.cash_on_delivery_amount),
                                            "currency": shipment.cash_on_delivery_currency, "answer": text.strip()[:50]})
        reply_key = "cod_confirmed" if kind == keywords.YES else "cod_declined"
        return str(request_kind), question_text(brand=self.ask.brand, shipment=shipment, language=language,
                                                key=reply_key)
