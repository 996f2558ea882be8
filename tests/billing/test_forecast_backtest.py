"""Scoring the spend forecast on an ended month (billing/forecast_backtest.py and
`manage.py forecast_backtest`): every morning's forecast against the month's total, beside the
plain run rate."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.forecast_backtest import backtest
from tests.factories import AccountFactory, DailySpendFactory

# Monday to Sunday: busy at the start of the week, nothing on Sunday.
RHYTHM = [Decimal(v) for v in ("6.00", "5.00", "5.00", "4.00", "4.00", "2.00", "0.00")]
OCTOBER = dt.date(2026, 10, 1)


def weekly(first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    days = (last - first).days + 1
    return {day: RHYTHM[day.weekday()] for day in (first + dt.timedelta(days=n) for n in range(days))}


def test_on_a_steady_weekly_rhythm_the_forecast_is_exact_every_morning_and_the_run_rate_is_not():
    result = backtest(weekly(dt.date(2026, 7, 1), dt.date(2026, 10, 31)), month=OCTOBER)

    assert result.actual == Decimal("114.00")  # four weeks of 26.00, then Thursday to Saturday
    assert all(morning.forecast == result.actual for morning in result.mornings)
    assert result.mean_error("forecast") == 0
    # October 2026 starts on a Thursday: its first days are the quiet end of a week.
    assert result.mean_error("run_rate") > 0.04


def test_the_first_morning_has_no_run_rate_and_the_mean_leaves_it_out():
    result = backtest({OCTOBER + dt.timedelta(days=n): Decimal("1.00") for n in range(31)}, month=OCTOBER)

    assert result.mornings[0].run_rate is None
    assert result.mornings[1].run_rate == Decimal("31.00")
    assert result.mean_error("run_rate") == 0


def test_each_morning_knows_only_the_days_before_it():
    amounts = weekly(dt.date(2026, 7, 1), dt.date(2026, 10, 31))
    amounts[dt.date(2026, 10, 20)] = Decimal("500.00")  # a sale on the 20th

    result = backtest(amounts, month=OCTOBER)

    assert result.mornings[19].forecast == Decimal("114.00")  # the 20th's morning: no sale seen yet
    assert result.mornings[20].forecast >= Decimal("609.00")  # the sale in, instead of a Tuesday's 5.00


def test_a_month_that_charged_nothing_has_no_error_to_give():
    result = backtest({}, month=OCTOBER)

    assert result.mean_error("forecast") is None
    assert result.summary()["forecast"]["day_8_error_percent"] is None


@pytest.mark.django_db
def test_the_command_scores_the_accounts_previous_month_from_its_own_day_totals_only(monkeypatch):
    account, other = AccountFactory(), AccountFactory()
    for day, amount in weekly(dt.date(2026, 7, 1), dt.date(2026, 10, 31)).items():
        DailySpendFactory(account=account, day=day, amount=amount)
    DailySpendFactory(account=other, day=dt.date(2026, 10, 14), amount=Decimal("900.00"))
    out = StringIO()

    monkeypatch.setattr("billing.management.commands.forecast_backtest.timezone.now",
                        lambda: dt.datetime(2026, 11, 5, 9, tzinfo=dt.UTC))

    call_command("forecast_backtest", "--account", str(account.pk), "--days", stdout=out)

    report = json.loads(out.getvalue())
    assert report["month"] == "2026-10" and report["actual"] == "114.00"
    assert report["forecast"]["mean_error_percent"] == 0.0
    assert report["run_rate"]["mean_error_percent"] > 4
    assert report["days"][1] == {"day": "2026-10-02", "forecast": "114.00", "run_rate": "124.00"}


@pytest.mark.django_db
@pytest.mark.parametrize(("arguments", "message"), [
    (["--month", "2999-01"], "--month: 2999-01 has not ended yet"),
    (["--month", "2026-13"], "--month: '2026-13' is not a month"),
    (["--account", "0"], "--account: there is no account 0."),
])
def test_the_command_refuses_a_month_not_ended_a_malformed_one_and_an_unknown_account(arguments, message):
    account = AccountFactory()

    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("forecast_backtest", "--account", str(account.pk), *arguments, stdout=StringIO())
