"""After a failed delivery, a short guided exchange: a new day, a pickup point or a new address.

It starts when the shopper taps a quick reply of the `delivery_failed` WhatsApp template
(Reschedule / Pick up at a point / Change address, in any of the six languages; the tap arrives
with the label as text and as payload) or answers 1, 2 or 3 to the delivery_failed SMS, and
only while the parcel's status is delivery_failed. Its state is a small JSON on the
Conversation; it lives as long as the 24-hour window the shopper's latest text opened: an
expired one is dropped silently and the text gets the menu.

- reschedule: the next five working days (a WhatsApp list, or a numbered text on SMS) -> a
  `reschedule` request `{"date": "YYYY-MM-DD"}`;
- pickup_point: the point as free text (no carrier adapter lists points yet) -> `{"text"}`;
- address_change: the address as text, read back, YES -> `{"address"}`; NO writes it again, NO
  while asked for it cancels.

Each completed exchange is a ShopperRequest for the merchant. The answers say the shop has the
request, never that the carrier changed anything. Answers are in the shipment's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from brands.models import Brand
from messaging.conversations import keywords, replies
from messaging.conversations.models import Conversation
from messaging.conversations.services import REPLY_WINDOW
from messaging.localdates import format_date
from messaging.models import ShopperRequestKind
from messaging.providers.session import ListRow
from messaging.services.shopper_requests import shopper_request_create
from messaging.whatsapp_registration import QUICK_REPLIES
from tracking.models import Shipment
from tracking.statuses import Status

RESCHEDULE, PICKUP_POINT, ADDRESS_CHANGE = (ShopperRequestKind.RESCHEDULE, ShopperRequestKind.PICKUP_POINT,
                                            ShopperRequestKind.ADDRESS_CHANGE)
KINDS = (RESCHEDULE, PICKUP_POINT, ADDRESS_CHANGE)  # the order of the quick replies and of "1 / 2 / 3"
WORKING_DAYS = 5
MAX_TEXT = 500


def _starters() -> dict[str, str]:
    """Normalised quick-reply label, payload or SMS digit -> the exchange it starts."""
    found = {keywords.normalise(kind): kind for kind in KINDS}
    for labels in QUICK_REPLIES[Status.DELIVERY_FAILED].values():
        found.update({keywords.normalise(label): kind for label, kind in zip(labels, KINDS, strict=True)})
    found.update({str(number): kind for number, kind in enumerate(KINDS, start=1)})
    return found


STARTERS = _starters()


@dataclass
class Reply:
    """The exchange's answer: `text` always (SMS, and what the inbound record keeps); on channels
    with session lists, `rows` are offered as a list under `list_body` instead."""

    action: str
    text: str
    list_body: str = ""
    button: str = ""
    rows: list[ListRow] = field(default_factory=list)


def respond(*, conversation: Conversation, brand: Brand, shipment_id: int | None, text: str, payload: str,
            intent: keywords.Intent, now: datetime | None = None) -> Reply | None:
    """The exchange's answer to this inbound text, or None when no exchange takes it (the
    keyword bot answers). STOP and START always go to the bot (and end an exchange)."""
    now = now or timezone.now()
    state = conversation.exchange or {}
    if intent.kind in (keywords.STOP, keywords.START):
        if state:
            _save(conversation, {})
        return None
    tapped = STARTERS.get(keywords.normalise(payload)) if payload else None
    if state and tapped is None:  # a quick reply tapped again starts over
        shipment = _failed_shipment(brand, state.get("shipment_id"))
        if shipment is None or not _live(state, now):
            _save(conversation, {})  # dropped silently: this text gets the menu
            return None
        return _continue(conversation, brand, shipment, state, text, payload, intent, now)
    kind = tapped or STARTERS.get(keywords.normalise(text))
    shipment = _failed_shipment(brand, shipment_id) if kind else None
    if shipment is None:
        return None
    return _start(conversation, brand, shipment, kind, now)


# --- steps -----------------------------------------------------------------------------------


def _start(conversation: Conversation, brand: Brand, shipment: Shipment, kind: str, now: datetime) -> Reply:
    state = {"kind": kind, "shipment_id": shipment.pk, "started_at": now.isoformat()}
    language = shipment.language
    if kind == RESCHEDULE:
        days = working_days(timezone.localdate(now))
        _save(conversation, {**state, "step": "date", "options": [day.isoformat() for day in days]}, now)
        return _day_list(brand.name, days, language, "reschedule_ask", "ex_reschedule_ask")
    if kind == PICKUP_POINT:
        _save(conversation, {**state, "step": "text"}, now)
        return Reply("pickup_point_ask", replies.reply_text("ex_pickup_ask", language, brand=brand.name))
    _save(conversation, {**state, "step": "address"}, now)
    return Reply("address_ask", replies.reply_text("ex_address_ask", language, brand=brand.name))


def _continue(conversation: Conversation, brand: Brand, shipment: Shipment, state: dict, text: str, payload: str,
              intent: keywords.Intent, now: datetime) -> Reply:
    language, step, name = shipment.language, state.get("step"), brand.name
    typed = " ".join((text or "").split())[:MAX_TEXT]
    if step == "date":
        days = [date.fromisoformat(value) for value in state.get("options", [])]
        chosen = _chosen_day(days, text, payload, language)
        if chosen is None:
            if intent.kind == keywords.NO:
                return _cancel(conversation, name, language)
            _save(conversation, state, now)
            return _day_list(name, days, language, "reschedule_ask", "ex_not_a_choice")
        shopper_request_create(shipment=shipment, kind=RESCHEDULE, details={"date": chosen.isoformat()})
        _save(conversation, {})
        return Reply(RESCHEDULE, replies.reply_text("ex_reschedule_done", language, brand=name,
                                                    date=day_label(chosen, language)))
    if step == "text":
        if intent.kind == keywords.NO:
            return _cancel(conversation, name, language)
        if not typed:
            _save(conversation, state, now)
            return Reply("pickup_point_ask", replies.reply_text("ex_pickup_ask", language, brand=name))
        shopper_request_create(shipment=shipment, kind=PICKUP_POINT, details={"text": typed})
        _save(conversation, {})
        return Reply(PICKUP_POINT, replies.reply_text("ex_pickup_done", language, brand=name, text=typed))
    if step == "address" and intent.kind == keywords.NO:
        return _cancel(conversation, name, language)
    if step == "confirm" and intent.kind == keywords.YES:
        address = state.get("address", "")
        shopper_request_create(shipment=shipment, kind=ADDRESS_CHANGE, details={"address": address})
        _save(conversation, {})
        return Reply(ADDRESS_CHANGE, replies.reply_text("ex_address_done", language, brand=name, address=address))
    if (step == "confirm" and intent.kind == keywords.NO) or not typed:
        _save(conversation, {**state, "step": "address", "address": ""}, now)
        return Reply("address_ask", replies.reply_text("ex_address_ask", language, brand=name))
    # An address (or, when asked to confirm, a corrected one): read it back.
    _save(conversation, {**state, "step": "confirm", "address": typed}, now)
    return Reply("address_confirm", replies.reply_text("ex_address_confirm", language, brand=name, address=typed))


def _cancel(conversation: Conversation, brand_name: str, language: str) -> Reply:
    _save(conversation, {})
    return Reply("exchange_cancel", replies.reply_text("ex_cancelled", language, brand=brand_name))


def _day_list(brand_name: str, days: list[date], language: str, action: str, key: str) -> Reply:
    ask = replies.reply_text(key, language, brand=brand_name)
    lines = [f"{number}. {day_label(day, language)}" for number, day in enumerate(days, start=1)]
    text = "\n".join([ask, *lines, replies.reply_text("ex_reply_number", language)])
    rows = [ListRow(id=day.isoformat(), title=weekday(day, language), description=format_date(day, language))
            for day in days]
    return Reply(action, text, list_body=ask, button=replies.reply_text("ex_list_button", language), rows=rows)


def _chosen_day(days: list[date], text: str, payload: str, language: str) -> date | None:
    """The day tapped in the list (its id), or answered by number, weekday or the whole label."""
    by_id = {day.isoformat(): day for day in days}
    if payload in by_id:
        return by_id[payload]
    said = keywords.normalise(text or "").rstrip(".")
    if said.isdigit() and 1 <= int(said) <= len(days):
        return days[int(said) - 1]
    for day in days:
        if said in (keywords.normalise(weekday(day, language)), keywords.normalise(day_label(day, language))):
            return day
    return None


# --- helpers ---------------------------------------------------------------------------------


def working_days(today: date, count: int = WORKING_DAYS) -> list[date]:
    """The next `count` days from Monday to Friday after `today` (public holidays not known)."""
    days, day = [], today
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def weekday(day: date, language: str) -> str:
    name = replies.weekdays(language)[day.weekday()]
    return name[:1].upper() + name[1:]


def day_label(day: date, language: str) -> str:
    """'Monday 7 December 2026', 'maandag 7 december 2026'."""
    return f"{replies.weekdays(language)[day.weekday()]} {format_date(day, language)}"


def _failed_shipment(brand: Brand, shipment_id: int | None) -> Shipment | None:
    if not shipment_id:
        return None
    return (Shipment.objects.for_account(brand.account)
            .filter(brand=brand, pk=shipment_id, status=Status.DELIVERY_FAILED).first())


def _live(state: dict, now: datetime) -> bool:
    try:
        return now < datetime.fromisoformat(state["expires_at"])
    except (KeyError, TypeError, ValueError):
        return False


def _save(conversation: Conversation, state: dict, now: datetime | None = None) -> None:
    """Store the exchange's next step; it expires with the window this text opened."""
    if state and now is not None:
        state = {**state, "expires_at": (now + REPLY_WINDOW).isoformat()}
    Conversation.objects.filter(pk=conversation.pk).update(exchange=state)
    conversation.exchange = state
