"""Reads of the panel's dashboard and logs: aggregates only (one GROUP BY each), never row loops."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncDate

from brands.models import Account
from messaging.channels import channel_of
from messaging.models import Channel, Message, MessageState

ACCEPTED = (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)
DELIVERED = (MessageState.DELIVERED, MessageState.READ)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def message_stats(*, account: Account, start: dt.datetime, end: dt.datetime) -> dict:
    """Messages created in [start, end) per channel and state, with delivery and read rates.

    Rates are over the messages the providers accepted (sent, delivered or read): a queued or
    failed message says nothing about delivery. A read rate is given only for channels whose
    providers report reads (WhatsApp): SMS never reports one and e-mail opens are not tracked, so
    a rate for them would be a false 0%. The overall read rate is over those channels alone
    (`read_channels` names them). One query.
    """
    counts = {
        (row["channel"], row["state"]): row["n"]
        for row in Message.objects.for_account(account)
        .filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("channel", "state")
        .annotate(n=Count("id"))
    }
    channels = []
    read_channels = [label for code, label in Channel.choices if channel_of(code).reports_reads]
    for code, label in Channel.choices:
        reports_reads = channel_of(code).reports_reads
        states = {state: counts.get((code, state), 0) for state in MessageState.values}
        accepted = sum(states[s] for s in ACCEPTED)
        delivered = sum(states[s] for s in DELIVERED)
        channels.append({
            "channel": code, "label": label, "states": states, "total": sum(states.values()),
            "accepted": accepted, "delivered": delivered, "read": states[MessageState.READ],
            "delivery_rate": _rate(delivered, accepted), "reports_reads": reports_reads,
            "read_rate": _rate(states[MessageState.READ], accepted) if reports_reads else None,
        })
    totals = {state: sum(c["states"][state] for c in channels) for state in MessageState.values}
    accepted = sum(c["accepted"] for c in channels)
    delivered = sum(c["delivered"] for c in channels)
    read_accepted = sum(c["accepted"] for c in channels if c["reports_reads"])
    read = sum(c["read"] for c in channels if c["reports_reads"])
    return {
        "channels": channels,
        "states": [(code, label, totals[code]) for code, label in MessageState.choices],
        "total": sum(totals.values()),
        "accepted": accepted,
        "delivery_rate": _rate(delivered, accepted),
        "read_rate": _rate(read, read_accepted),
        "read_accepted": read_accepted,
        "read_channels": read_channels,
        "read_channel_codes": [c["channel"] for c in channels if c["reports_reads"]],
    }


def messages_per_day(*, account: Account, today: dt.date, days: int = 30) -> list[tuple[dt.date, int]]:
    """(day, messages created that day) for the `days` days ending today, zeros included. One query."""
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    counts = dict(
        Message.objects.for_account(account)
        .filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("day")
        .annotate(n=Count("id"))
    )
    return [(first + dt.timedelta(days=i), counts.get(first + dt.timedelta(days=i), 0)) for i in range(days)]

