"""Demo history: parcels delivered in a past stretch of time, each with the WhatsApp message that
announced the delivery (read by the shopper) and that message's charge.

The demo's spend (this month's, close to the cap, and last month's, for `manage.py invoice`) is
made of these, so every figure agrees, as it does for a real account: the charges, the usage
table and `GET /api/v1/usage/` (which count the accepted messages), the dashboard, the message
log, the invoice. Messages are composed by dispatch's own `compose`, so the log shows the texts a
shopper got. The parcels came in through the API (carrier `manual`: never polled) and their
status entries are planned already: nothing here is ever sent again.

Past months have the rhythm of a real shop's deliveries (`by_weekday`): busy Mondays, quieter
Fridays and Saturdays, nothing on Sundays, and each day a little off its weekday's level, so the
spend forecast has a real week to learn (and `manage.py forecast_backtest` something to score).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db.models import F

from billing import spend_tracking
from billing.forecast import month_days
from billing.models import Charge
from brands.models import Account, Brand
from messaging.dispatch.composing import TemplateCache, compose
from messaging.models import Message, MessageState
from tracking.models import Shipment, Source, StatusEntry, TrackingEvent
from tracking.statuses import Status

# (country, language, carrier name, phone prefix, postal code)
DESTINATIONS = (
    ("NL", "nl", "PostNL", "+316", "1012 AB"),
    ("BE", "nl", "bpost", "+324", "2000"),
    ("DE", "de", "DHL", "+4915", "10115"),
    ("FR", "fr", "Colissimo", "+336", "75011"),
)
FIRST_NAMES = ("Sanne", "Daan", "Lena", "Jonas", "Camille", "Hugo", "Lotte", "Louis", "Emma", "Noah", "Julia", "Lucas")
LAST_NAMES = ("de Vries", "Jansen", "Schmidt", "Becker", "Martin", "Bernard", "Peeters", "Dubois", "Visser", "Bakker")
IN_TRANSIT_FOR = dt.timedelta(hours=30)
LABEL_BEFORE_PICKUP = dt.timedelta(hours=2)
SENT_AFTER = dt.timedelta(seconds=4)  # the delivery message, after the delivery scan
READ_AFTER = dt.timedelta(minutes=12)
# Deliveries per weekday, Monday first, against a mean weekday: carriers deliver what piled up
# over the weekend on Monday and do not deliver on Sunday.
WEEKDAY_WEIGHTS = (1.3, 1.15, 1.05, 1.0, 0.9, 0.6, 0.0)
DAY_NOISE = 0.15  # each day up to this share above or below its weekday's level
DELIVERY_HOURS = (8, 20)  # UTC


def evenly(start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
    """`count` moments spread evenly between `start` and `end`."""
    return [start + (end - start) * (index + 1) / (count + 1) for index in range(count)]


def by_weekday(month: dt.date, count: int) -> list[dt.datetime]:
    """`count` delivery moments over the whole `month`, each day's share by its weekday's weight
    and a fixed deviation of its own (the same every seed), within the delivery hours."""
    days = month_days(month)
    weights = [WEEKDAY_WEIGHTS[day.weekday()] * (1 + DAY_NOISE * _deviation(day)) for day in days]
    shares = [count * weight / sum(weights) for weight in weights]
    per_day = [int(share) for share in shares]
    # The remainder to the days with the largest fractions, so the month holds `count` exactly.
    for index in sorted(range(len(days)), key=lambda n: per_day[n] - shares[n])[:count - sum(per_day)]:
        per_day[index] += 1
    return [moment for day, n in zip(days, per_day, strict=True) for moment in evenly(
        dt.datetime.combine(day, dt.time(DELIVERY_HOURS[0]), tzinfo=dt.UTC),
        dt.datetime.combine(day, dt.time(DELIVERY_HOURS[1]), tzinfo=dt.UTC), n)]


def _deviation(day: dt.date) -> float:
    """A number in [-1, 1] fixed for `day`."""
    return int.from_bytes(hashlib.blake2b(day.isoformat().encode(), digest_size=2).digest()) / 0xFFFF * 2 - 1


def delivered_history(account: Account, *, moments: list[dt.datetime], price: tuple[Decimal, str]) -> list[Charge]:
    """A parcel delivered at each of `moments` (all in one month), spread over the account's
    brands, with its read WhatsApp delivery message and charge at `price`, added to the running
    spend totals. Tracking numbers carry the month, one history per month."""
    brands = list(Brand.objects.for_account(account).order_by("pk"))
    if not brands or not moments:
        return []
    unit, currency = price
    month = moments[0].strftime("%Y%m")
    shipments = Shipment.objects.bulk_create(
        _shipment(brands[index % len(brands)], index, index // len(brands), month, at)
        for index, at in enumerate(moments))
    events = TrackingEvent.objects.bulk_create(
        event for shipment, at in zip(shipments, moments, strict=True) for event in _events(shipment, at))
    # Each event's status entry, planned already (its message is below): the tracking messages
    # page's cost estimate counts them, the planning sweeper never sees them.
    entries = StatusEntry.objects.bulk_create(
        StatusEntry(shipment=event.shipment, status=event.status, event=event, planned_at=event.occurred_at)
        for event in events)
    templates = TemplateCache()
    messages = Message.objects.bulk_create(
        _message(shipment, at, unit, currency, templates) for shipment, at in zip(shipments, moments, strict=True))
    # `created_at` and `recorded_at` are set on insert (auto_now_add): backdated afterwards.
    Shipment.objects.filter(pk__in=[shipment.pk for shipment in shipments]).update(
        created_at=F("status_at") - IN_TRANSIT_FOR - LABEL_BEFORE_PICKUP)
    TrackingEvent.objects.filter(pk__in=[event.pk for event in events]).update(recorded_at=F("occurred_at"))
    StatusEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(created_at=F("planned_at"))
    Message.objects.filter(pk__in=[message.pk for message in messages]).update(created_at=F("sent_at") - SENT_AFTER)
    charges = Charge.objects.bulk_create(
        Charge(account=account, brand_id=message.brand_id, message=message, channel="whatsapp", unit_price=unit,
               currency=currency, created_at=message.sent_at)
        for message in messages)
    spend_tracking.record_charges((account.pk, charge.created_at, unit, currency) for charge in charges)
    return charges


def _shipment(brand: Brand, index: int, turn: int, month: str, delivered_at: dt.datetime) -> Shipment:
    """The `index`th parcel of the history, its brand's `turn`th: every brand ships to every destination."""
    country, language, carrier_name, phone_prefix, postal = DESTINATIONS[turn % len(DESTINATIONS)]
    first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    prefix = "".join(ch for ch in brand.slug.upper() if ch.isalnum())[:4]
    serial = f"{month}{index:04d}"
    return Shipment(
        brand=brand, carrier="manual", carrier_name=carrier_name, tracking_number=f"{prefix}H{serial}",
        order_number=f"{prefix}-H{serial}", recipient_name=f"{first} {last}",
        recipient_phone=f"{phone_prefix}{71_234_501 + index:08d}",  # no sandbox failure ending (0000)
        recipient_email=f"{first}.{last.replace(' ', '')}.{index}@example.com".lower(), language=language,
        to_country=country, to_postal_code=postal, status=Status.DELIVERED, status_at=delivered_at,
        last_scan_at=delivered_at,
    )


def _events(shipment: Shipment, delivered_at: dt.datetime) -> list[TrackingEvent]:
    return [
        TrackingEvent(shipment=shipment, status=status, occurred_at=at, source=Source.API,
                      external_id=f"demo:{shipment.tracking_number}:{status}")
        for status, at in ((Status.IN_TRANSIT, delivered_at - IN_TRANSIT_FOR), (Status.DELIVERED, delivered_at))
    ]


def _message(shipment: Shipment, delivered_at: dt.datetime, unit: Decimal, currency: str,
             templates: TemplateCache) -> Message:
    composed = compose(brand=shipment.brand, shipment=shipment, channel="whatsapp", status=Status.DELIVERED,
                       templates=templates)
    sent_at = delivered_at + SENT_AFTER
    return Message(
        shipment=shipment, brand=shipment.brand, channel="whatsapp", trigger_status=Status.DELIVERED,
        language=composed.language, recipient=shipment.recipient_phone, body=composed.body,
        whatsapp_template=composed.whatsapp_template, whatsapp_language=composed.whatsapp_language,
        whatsapp_parameters=composed.whatsapp_parameters, unsubscribe_url=composed.unsubscribe_url,
        state=MessageState.READ, provider="sandbox", provider_message_id=f"demo-{shipment.tracking_number}",
        price=unit, currency=currency, attempts=1, sent_at=sent_at,
        delivered_at=sent_at + dt.timedelta(seconds=20), read_at=sent_at + READ_AFTER,
    )
