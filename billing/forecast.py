"""This month's expected WhatsApp spend, from the account's own daily totals (DailySpend).

The model: every weekday has its own level (parcels move Monday to Friday; weekends are quiet),
learned as that weekday's mean over the last whole weeks of history (up to eight), then scaled
by how the last two weeks compare with that whole window, so a growing shop is not forecast at
last month's pace. The month's forecast is what it has charged on the days gone by, plus, for
today, the larger of what it has charged already and what the day usually brings, plus the
expected amount of each day left.

With less than two whole weeks of history the weekdays cannot be told apart: the forecast falls
back to the plain run rate of the days seen (on the very first day, to today's amount so far).
Days before the account's first charge are not history (a new account is not a quiet one).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal

HISTORY_WEEKS = 8
MIN_WEEKS = 2
RECENT_DAYS = 14
# The recent pace moves the weekday levels by at most this factor either way: one odd fortnight
# (a holiday, a sale) bends the forecast without breaking it.
MAX_TREND = Decimal(2)
CENT = Decimal("0.01")
ZERO = Decimal(0)


def history_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days the forecast reads before the month's own: HISTORY_WEEKS whole weeks before
    today, and one week more to tell a quiet start of the window from an account not yet born."""
    return today - dt.timedelta(days=7 * (HISTORY_WEEKS + 1)), today - dt.timedelta(days=1)


def month_days(month: dt.date) -> list[dt.date]:
    first = month.replace(day=1)
    return [first + dt.timedelta(days=offset) for offset in range(calendar.monthrange(first.year, first.month)[1])]


def daily_expectation(amounts: Mapping[dt.date, Decimal], *, today: dt.date) -> Callable[[dt.date], Decimal]:
    """What a day is expected to charge, learned from the complete days before `today`.

    `amounts` holds at least the history window (missing days charged nothing)."""
    window_start, yesterday = history_window(today)
    charged_days = [day for day, amount in amounts.items() if window_start <= day <= yesterday and amount]
    first = min(charged_days, default=None)
    if first is None:  # nothing before today: today's pace is all there is
        pace = amounts.get(today, ZERO)
        return lambda day: pace
    seen = (yesterday - first).days + 1
    weeks = min(HISTORY_WEEKS, seen // 7)
    if weeks < MIN_WEEKS:
        pace = sum((amounts.get(first + dt.timedelta(days=n), ZERO) for n in range(seen)), ZERO) / seen
        return lambda day: pace
    start = today - dt.timedelta(days=7 * weeks)
    window = [start + dt.timedelta(days=n) for n in range(7 * weeks)]
    by_weekday = [ZERO] * 7
    for day in window:
        by_weekday[day.weekday()] += amounts.get(day, ZERO)
    levels = [total / weeks for total in by_weekday]
    return _scaled(levels, trend=_trend(amounts, window))


def _trend(amounts: Mapping[dt.date, Decimal], window: list[dt.date]) -> Decimal:
    """The last two weeks' daily mean against the whole window's, within 1/MAX_TREND..MAX_TREND."""
    whole = sum((amounts.get(day, ZERO) for day in window), ZERO) / len(window)
    recent = sum((amounts.get(day, ZERO) for day in window[-RECENT_DAYS:]), ZERO) / RECENT_DAYS
    if not whole:
        return Decimal(1)
    return min(max(recent / whole, 1 / MAX_TREND), MAX_TREND)


def _scaled(levels: list[Decimal], *, trend: Decimal) -> Callable[[dt.date], Decimal]:
    return lambda day: levels[day.weekday()] * trend


def month_forecast(amounts: Mapping[dt.date, Decimal], *, month: dt.date, today: dt.date) -> Decimal:
    """The expected total of `month` seen from `today`: its actual total once it has ended; else
    what it charged so far plus what its remaining days are expected to bring. To the cent."""
    days = month_days(month)
    if days[-1] < today:
        total = sum((amounts.get(day, ZERO) for day in days), ZERO)
    else:
        expect = daily_expectation(amounts, today=today)
        total = ZERO
        for day in days:
            charged = amounts.get(day, ZERO)
            if day < today:
                total += charged
            elif day == today:
                total += max(charged, expect(day))
            else:
                total += expect(day)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
