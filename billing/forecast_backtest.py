"""How good the spend forecast (billing.forecast) is on a month that has ended: every morning of
the month, the forecast made from the days before it alone, against what the month came to; and
beside it the plain run rate (the month so far, stretched to the month's length), the forecast a
weekday-blind tool would give.

`python manage.py forecast_backtest --account N` prints it for the account's last month (README,
"Spend cap and forecast").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from billing.forecast import CENT, ZERO, month_days, month_forecast

# The mornings the summary names: after one, two and three weeks of the month.
CHECKPOINTS = (8, 15, 22)


@dataclass(frozen=True)
class Morning:
    day: dt.date
    forecast: Decimal
    run_rate: Decimal | None  # None on the first: nothing charged yet to stretch


@dataclass(frozen=True)
class Backtest:
    month: dt.date
    actual: Decimal
    mornings: list[Morning]

    def error(self, value: Decimal | None) -> float | None:
        """How far `value` is from the month's total, as a share of it."""
        if value is None or not self.actual:
            return None
        return float(abs(value - self.actual) / self.actual)

    def mean_error(self, which: str) -> float | None:
        """The mean of the mornings' errors from the second on (`which`: "forecast" or "run_rate")."""
        errors = [self.error(getattr(morning, which)) for morning in self.mornings[1:]]
        errors = [error for error in errors if error is not None]
        return sum(errors) / len(errors) if errors else None

    def summary(self) -> dict:
        """The month, its total, and both methods' mean error and error at the checkpoints, in %."""
        def percent(value: float | None) -> float | None:
            return None if value is None else round(100 * value, 1)

        return {
            "month": self.month.strftime("%Y-%m"), "actual": str(self.actual),
            **{which: {"mean_error_percent": percent(self.mean_error(which)),
                       **{f"day_{day}_error_percent": percent(self.error(getattr(self.mornings[day - 1], which)))
                          for day in CHECKPOINTS}}
               for which in ("forecast", "run_rate")},
        }


def backtest(amounts: Mapping[dt.date, Decimal], *, month: dt.date) -> Backtest:
    """Score the forecast on `month` (ended), from the day totals in `amounts` (the month and the
    forecast's history window before it; missing days charged nothing)."""
    days = month_days(month)
    mornings = []
    for number, today in enumerate(days):
        known = {day: amount for day, amount in amounts.items() if day < today}
        so_far = sum((known.get(day, ZERO) for day in days[:number]), ZERO)
        run_rate = (so_far * len(days) / number).quantize(CENT) if number else None
        mornings.append(Morning(today, month_forecast(known, month=month, today=today), run_rate))
    actual = sum((amounts.get(day, ZERO) for day in days), ZERO).quantize(CENT)
    return Backtest(month=days[0], actual=actual, mornings=mornings)
