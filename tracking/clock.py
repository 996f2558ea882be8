"""Which event times tracking believes. An event more than EVENT_MAX_FUTURE_SECONDS (default an
hour) ahead of our clock is refused: stored, it would be the newest event for ever and freeze the
parcel (every later real event would look older and change nothing). An hour of slack covers
carriers' clocks and time zones written wrongly by a few minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

IN_THE_FUTURE = "in_the_future"


def latest_believable(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=getattr(settings, "EVENT_MAX_FUTURE_SECONDS", 3600))


def in_the_future(occurred_at: datetime, now: datetime | None = None) -> bool:
    return occurred_at > latest_believable(now)


def future_message(occurred_at: datetime) -> str:
    return (f"{occurred_at.isoformat()} is in the future (more than "
            f"{getattr(settings, 'EVENT_MAX_FUTURE_SECONDS', 3600)} s ahead of our clock); send it once it has happened.")
