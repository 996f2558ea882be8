"""Invoice periods: calendar months in UTC (the platform's time zone, like usage and charges)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A period that is malformed or cannot be invoiced (yet)."""


@dataclass(frozen=True, order=True)
class Period:
    first: dt.date  # the first day of the month

    @classmethod
    def parse(cls, value: str) -> Period:
        """'2026-03' -> Period; PeriodError naming the expected form otherwise."""
        match = _PERIOD.match(value or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise PeriodError(f"'{value}' is not a month: use the form YYYY-MM, e.g. 2026-03.")
        return cls(dt.date(int(match.group(1)), int(match.group(2)), 1))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.replace(day=1))

    @classmethod
    def previous(cls, today: dt.date) -> Period:
        return cls.of(today.replace(day=1) - dt.timedelta(days=1))

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the month (exclusive bound)."""
        return self.next().start

    def next(self) -> Period:
        return Period.of(self.first + dt.timedelta(days=32))

    def has_ended(self, now: dt.datetime) -> bool:
        return now >= self.end

    def ensure_ended(self, now: dt.datetime) -> None:
        if not self.has_ended(now):
            raise PeriodError(
                f"{self} has not ended yet (it ends {self.end:%Y-%m-%d %H:%M} UTC): only past months are invoiced."
            )

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}"
