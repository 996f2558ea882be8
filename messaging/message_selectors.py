"""Reads of the outbox: message lists and usage (what an account will be billed for)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from brands.models import Account
from messaging.models import Channel, Message, MessageState

ACCEPTED = (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)


# State filters that name several states: the dashboard's figures link to them.
STATE_GROUPS = {
    "accepted": ("sent", "delivered", "read"),  # accepted by the provider
    "reached": ("delivered", "read"),
}


def message_list(*, account: Account, shipment=None, brand=None, channel=None, state=None, created_from=None,
                 created_to=None):
    """The account's messages, filtered; `created_from`/`created_to` are days (inclusive, UTC)."""
    rows = Message.objects.for_account(account).select_related("brand")
    if created_from:
        rows = rows.filter(created_at__gte=dt.datetime.combine(created_from, dt.time.min, tzinfo=dt.UTC))
    if created_to:
        rows = rows.filter(created_at__lt=dt.datetime.combine(created_to + dt.timedelta(days=1), dt.time.min,
                                                              tzinfo=dt.UTC))
    if state in STATE_GROUPS:
        rows, state = rows.filter(state__in=STATE_GROUPS[state]), None
    if shipment:
        rows = rows.filter(shipment_id=shipment)
    if brand:
        rows = rows.filter(brand_id=brand)
    if channel:
        rows = rows.filter(channel=channel)
    if state:
        rows = rows.filter(state=state)
    return rows


def parse_period(value: str | None, *, today: dt.date | None = None) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """'2026-11' -> (first day, start, end) as aware UTC datetimes; ValueError when malformed or
    not a month we can count (month 13, year 0, or 9999-12, whose end is past Python's last date)."""
    today = today or timezone.now().date()
    if value:
        year, _, month = value.partition("-")
        if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
            raise ValueError("Use the form YYYY-MM, e.g. 2026-11.")
        try:
            first = dt.date(int(year), int(month), 1)
            start, end = _month_bounds(first)
        except (ValueError, OverflowError):
            raise ValueError(f"No such month: {value}.") from None
        return first, start, end
    first = today.replace(day=1)
    return first, *_month_bounds(first)


def _month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    last_day = calendar.monthrange(first.year, first.month)[1]
    start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(first.replace(day=last_day), dt.time.min, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return start, end


def usage(*, account: Account, start: dt.datetime, end: dt.datetime) -> dict:
    """Messages the providers accepted in [start, end) per channel, and their billable amount.

    The amount sums the price snapshots taken at acceptance, the same figures the charges hold.
    """
    rows = (
        Message.objects.for_account(account)
        .filter(state__in=ACCEPTED, sent_at__gte=start, sent_at__lt=end)
        .values("channel")
        .annotate(messages=Count("id"), amount=Sum("price", default=Decimal("0")),
                  delivered=Count("id", filter=Q(state__in=(MessageState.DELIVERED, MessageState.READ))),
                  read=Count("id", filter=Q(state=MessageState.READ)))
    )
    by_channel = {
        channel: {"messages": 0, "delivered": 0, "read": 0, "amount": Decimal("0.00")} for channel in Channel.values
    }
    for row in rows:
        by_channel[row["channel"]] = {
            "messages": row["messages"], "delivered": row["delivered"], "read": row["read"],
            "amount": row["amount"].quantize(Decimal("0.01")),
        }
    return {
        "messages": sum(entry["messages"] for entry in by_channel.values()),
        "amount": sum((entry["amount"] for entry in by_channel.values()), Decimal("0.00")),
        "currency": "EUR",
        "by_channel": by_channel,
    }
