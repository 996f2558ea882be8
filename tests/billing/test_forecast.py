"""The month's spend forecast (billing.forecast): weekday-aware from the account's own daily
totals, with a plain run rate while there is too little history."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from billing.forecast import month_days, month_forecast

# Parcels move on weekdays: Monday busy, Saturday light, Sunday almost nothing.
WEEKDAY_AMOUNTS = [Decimal(v) for v in ("10.00", "9.00", "9.00", "8.00", "8.00", "2.00", "1.00")]
JUNE = dt.date(2026, 6, 1)


def weekday_history(first: dt.date, last: dt.date, *, scale=1.0, noise=0.0, growth_per_week=0.0, seed=1) -> dict:
    """Daily amounts from `first` to `last`, shaped by WEEKDAY_AMOUNTS."""
    rnd = random.Random(seed)
    amounts, day, n = {}, first, 0
    while day <= last:
        level = float(WEEKDAY_AMOUNTS[day.weekday()]) * scale * (1 + growth_per_week) ** (n / 7)
        amounts[day] = Decimal(str(round(level * rnd.lognormvariate(0, noise) if noise else level, 4)))
        day += dt.timedelta(days=1)
        n += 1
    return amounts


def actual_total(amounts: dict, month: dt.date) -> Decimal:
    return sum((amounts.get(day, Decimal(0)) for day in month_days(month)), Decimal(0)).quantize(Decimal("0.01"))


def seen_on(amounts: dict, today: dt.date, *, share_of_today=Decimal("0.5")) -> dict:
    """What the forecast knows on `today`: the days before it, and part of today."""
    known = {day: amount for day, amount in amounts.items() if day < today}
    known[today] = amounts[today] * share_of_today
    return known


def linear(amounts: dict, month: dt.date, today: dt.date) -> Decimal:
    """The dashboard's former forecast: the month so far, stretched over its length by day of month."""
    so_far = sum((amount for day, amount in amounts.items() if month <= day <= today), Decimal(0))
    return so_far * len(month_days(month)) / today.day


def test_a_steady_weekday_pattern_is_forecast_to_the_cent():
    history = weekday_history(dt.date(2026, 3, 1), dt.date(2026, 6, 30))

    for day in (3, 10, 17, 24):
        today = JUNE.replace(day=day)
        assert month_forecast(seen_on(history, today), month=JUNE, today=today) == actual_total(history, JUNE)


def test_a_quiet_sunday_does_not_pull_down_the_forecast_of_a_busy_week():
    history = weekday_history(dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    sunday = dt.date(2026, 6, 7)  # the month so far: Mon 1 to Sun 7, a whole week

    forecast = month_forecast(seen_on(history, sunday, share_of_today=Decimal(1)), month=JUNE, today=sunday)

    assert forecast == actual_total(history, JUNE)


def test_the_forecast_beats_the_linear_run_rate_on_noisy_weekday_history():
    errors, linear_errors = [], []
    for seed in range(4):
        history = weekday_history(dt.date(2025, 10, 1), dt.date(2026, 6, 30), noise=0.25, seed=seed)
        for month in (dt.date(2026, m, 1) for m in (2, 3, 4, 5, 6)):
            today = month.replace(day=10)
            actual = actual_total(history, month)
            errors.append(abs(month_forecast(seen_on(history, today), month=month, today=today) - actual) / actual)
            linear_errors.append(abs(linear(seen_on(history, today), month, today) - actual) / actual)

    mean_error = sum(errors) / len(errors)
    assert mean_error < Decimal("0.08")
    assert mean_error < sum(linear_errors) / len(linear_errors)


def test_a_growing_shop_is_forecast_at_its_recent_pace_not_at_its_eight_week_average(monkeypatch):
    history = weekday_history(dt.date(2026, 2, 1), dt.date(2026, 6, 30), growth_per_week=0.05)
    today = dt.date(2026, 6, 10)
    actual = actual_total(history, JUNE)

    forecast = month_forecast(seen_on(history, today), month=JUNE, today=today)
    monkeypatch.setattr("billing.forecast.MAX_TREND", Decimal(1))  # weekday means alone
    without_trend = month_forecast(seen_on(history, today), month=JUNE, today=today)

    assert abs(forecast - actual) < abs(without_trend - actual)
    assert abs(forecast - actual) / actual < Decimal("0.10")


def test_with_less_than_two_weeks_of_history_the_plain_run_rate_is_used():
    # A new account: charged 3.00 a day for the 5 days before today, 1.00 so far today.
    amounts = {dt.date(2026, 6, day): Decimal("3.00") for day in range(5, 10)}
    amounts[dt.date(2026, 6, 10)] = Decimal("1.00")

    forecast = month_forecast(amounts, month=JUNE, today=dt.date(2026, 6, 10))

    # 15.00 so far, today at least its usual 3.00, then 20 more days at 3.00.
    assert forecast == Decimal("78.00")


def test_on_its_first_day_an_account_is_forecast_at_todays_pace():
    amounts = {dt.date(2026, 6, 29): Decimal("2.50")}

    assert month_forecast(amounts, month=JUNE, today=dt.date(2026, 6, 29)) == Decimal("5.00")


def test_without_any_charges_the_forecast_is_zero():
    assert month_forecast({}, month=JUNE, today=dt.date(2026, 6, 15)) == Decimal("0.00")


def test_a_day_that_already_charged_more_than_usual_counts_what_it_charged():
    history = weekday_history(dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    today = dt.date(2026, 6, 10)
    known = seen_on(history, today)
    known[today] = Decimal("100.00")  # a sale: far above a usual Wednesday

    forecast = month_forecast(known, month=JUNE, today=today)

    assert forecast == actual_total(history, JUNE) - history[today] + Decimal("100.00")


def test_an_ended_month_is_forecast_as_what_it_charged():
    history = weekday_history(dt.date(2026, 3, 1), dt.date(2026, 6, 30))

    assert month_forecast(history, month=dt.date(2026, 4, 1), today=JUNE) == actual_total(history, dt.date(2026, 4, 1))


@pytest.mark.parametrize("today", [dt.date(2026, 6, 1), dt.date(2026, 6, 30)])
def test_the_forecast_is_never_below_what_the_month_has_charged(today):
    amounts = {today: Decimal("500.00")}

    assert month_forecast(amounts, month=JUNE, today=today) >= Decimal("500.00")
