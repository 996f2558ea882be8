"""Reads of the outbox: message lists and usage (what an account will be billed for)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from brands.models import Account
from messaging.models import Channel, Message, MessageState
from messaging.policy import get_policy

ACCEPTED = (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)
CENTS = Decimal("0.00")


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
    """What the account was charged in [start, end), and the messages behind it, per channel.

    `amount` (per channel and in total) is the sum of the period's charges (by when the provider
    accepted each message), the very rows the month's invoice bills and the spend cap's running
    total adds up: a deleted brand's charges included (they are still invoiced), an expired
    message's withdrawn charge not. The total is rounded once, as the invoice's lines are summed
    from the same unit prices. `currency` is the account's (its WhatsApp price's, as the spend
    cap shows it), never a fixed EUR.

    `messages`, `delivered` and `read` count the messages the providers accepted in the period
    (sent, then delivered or read), of every brand of the account, deleted ones too, like the
    amount: on a billable channel (WhatsApp) `messages` is the number of charges behind the amount.

    Three queries whatever the period holds: the counts, and billing's charges and currency
    through the plan policy (messaging imports nothing of billing).
    """
    counts = (
        Message.objects.for_account(account, include_deleted_brands=True)
        .filter(state__in=ACCEPTED, sent_at__gte=start, sent_at__lt=end)
        .values("channel")
        .annotate(messages=Count("id"),
                  delivered=Count("id", filter=Q(state__in=(MessageState.DELIVERED, MessageState.READ))),
                  read=Count("id", filter=Q(state=MessageState.READ)))
        .order_by()
    )
    charged = get_policy().charged(account, start, end)
    by_channel = {
        channel: {"messages": 0, "delivered": 0, "read": 0, "amount": CENTS} for channel in Channel.values
    }
    for row in counts:
        by_channel[row["channel"]] |= {"messages": row["messages"], "delivered": row["delivered"], "read": row["read"]}
    for channel, amount in charged.by_channel.items():
        by_channel.setdefault(channel, {"messages": 0, "delivered": 0, "read": 0})["amount"] = amount.quantize(CENTS)
    return {
        "messages": sum(entry["messages"] for entry in by_channel.values()),
        "delivered": sum(entry["delivered"] for entry in by_channel.values()),
        "amount": sum(charged.by_channel.values(), CENTS).quantize(CENTS),
        "currency": charged.currency,
        "by_channel": by_channel,
    }

