"""What is news: how long after it happened a status is still worth telling the shopper.

An event older than its status's news window still moves the parcel (tracking decides that),
but its messages are `suppressed` with `stale_event` and never charged: "out for delivery" three
months late would only mislead. Windows per status come from DESIGN.md's defaults and may be
overridden in settings (`NEWS_WINDOWS`, env `NEWS_WINDOWS="out_for_delivery=12h,delivered=3d"`).

Whether a status gives way to a newer one (passing) or is always sent (actionable) is a property
of the taxonomy: `tracking.statuses.PASSING` / `ACTIONABLE`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tracking.statuses import ALL_CODES, PASSING, Status

HOUR, DAY = 3600, 86400

# Why a message was not sent (`error_code` of a suppressed message; stable, see API.md).
REASONS = {
    "stale_event": "The event was too old to be news when it arrived.",
    "superseded": "The parcel had moved on before this was sent.",
    "opted_out": "The recipient unsubscribed from this brand.",
    "frequency_cap": "The brand's cap on messages per shipment was reached.",
    "spend_cap": "The account's monthly WhatsApp spend cap was reached.",
    "template_not_approved": "WhatsApp has not approved the template (or no longer as a utility template).",
    "messaging_limit": "The WhatsApp number has reached the shoppers it may message in 24 hours (Meta's messaging limit).",
}

DEFAULT_WINDOWS: dict[str, int] = {
    Status.READY_TO_SHIP: 48 * HOUR,
    Status.IN_TRANSIT: 48 * HOUR,
    Status.OUT_FOR_DELIVERY: 12 * HOUR,
    Status.DELAYED: 48 * HOUR,
    Status.DELIVERY_FAILED: 48 * HOUR,
    Status.READY_FOR_PICKUP: 48 * HOUR,
    Status.DELIVERED: 72 * HOUR,
    Status.RETURN_LABEL_CREATED: 7 * DAY,
    Status.RETURN_DROPPED_OFF: 7 * DAY,
    Status.RETURN_RECEIVED: 7 * DAY,
    Status.POST_PURCHASE: 14 * DAY,
}
assert set(DEFAULT_WINDOWS) == set(ALL_CODES)

_UNITS = {"s": 1, "m": 60, "h": HOUR, "d": DAY}
_ITEM = re.compile(r"^\s*([a-z_]+)\s*=\s*(\d+)\s*([smhd]?)\s*$")


def parse_windows(text: str) -> dict[str, int]:
    """`"out_for_delivery=12h,delivered=3d"` -> {status: seconds}. A wrong status or form raises
    ValueError naming it (a settings typo is a start-up error, not a silent default)."""
    windows: dict[str, int] = {}
    for item in filter(str.strip, (text or "").split(",")):
        match = _ITEM.match(item)
        if not match or match.group(1) not in DEFAULT_WINDOWS:
            raise ValueError(f"NEWS_WINDOWS: {item.strip()!r} is not <status>=<number>[s|m|h|d] with a known status")
        status, number, unit = match.groups()
        windows[status] = int(number) * _UNITS[unit or "s"]
    return windows


def news_window(status: str) -> timedelta:
    from django.conf import settings  # read at call time: tests override it

    overrides = getattr(settings, "NEWS_WINDOWS", None) or {}
    return timedelta(seconds=overrides.get(status, DEFAULT_WINDOWS[status]))


def is_stale(status: str, occurred_at: datetime, now: datetime) -> bool:
    """True when an event of this status happened longer ago than its news window."""
    return occurred_at < now - news_window(status)


def gives_way(status: str) -> bool:
    """A passing status is superseded once the parcel has left it; actionable ones never are."""
    return status in PASSING
