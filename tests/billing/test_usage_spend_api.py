"""GET /api/v1/usage/ gains the month's `forecast` and the account's spend `cap` (a document)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.forecast import history_window, month_forecast
from tests.factories.billing import DailySpendFactory, SpendCapFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/usage/"


@pytest.fixture(autouse=True)
def _plans(plans):
    return plans


def spent_every_day(account, first: dt.date, last: dt.date, amount: str) -> dict:
    days = {}
    day = first
    while day <= last:
        DailySpendFactory(account=account, day=day, amount=Decimal(amount))
        days[day] = Decimal(amount)
        day += dt.timedelta(days=1)
    return days


def test_without_spend_or_cap_the_forecast_is_zero_and_the_cap_is_the_default_document(api):
    body = api.get(URL).json()

    assert body["forecast"] == "0.00"
    assert body["cap"] == {"monthly_cap": None, "alert_at_percent": 80, "on_cap": "fallback", "currency": "EUR"}


def test_the_forecast_comes_from_the_accounts_daily_spend(api, account, outsider):
    today = timezone.now().date()
    days = spent_every_day(account, history_window(today)[0], today, "2.00")
    spent_every_day(outsider, today - dt.timedelta(days=3), today, "900.00")

    body = api.get(URL).json()

    expected = month_forecast(days, month=today.replace(day=1), today=today)
    assert body["forecast"] == f"{expected:.2f}"
    assert Decimal(body["forecast"]) >= Decimal("2.00") * today.day


def test_the_cap_is_shown_as_the_spend_cap_document(api, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), alert_at_percent=90, on_cap="pause")

    body = api.get(URL).json()

    assert body["cap"] == {"monthly_cap": "50.00", "alert_at_percent": 90, "on_cap": "pause", "currency": "EUR"}


def test_an_ended_months_forecast_is_what_it_charged(api, account):
    DailySpendFactory(account=account, day=dt.date(2026, 3, 2), amount=Decimal("1.5000"))
    DailySpendFactory(account=account, day=dt.date(2026, 3, 31), amount=Decimal("2.2500"))
    DailySpendFactory(account=account, day=dt.date(2026, 4, 1), amount=Decimal("9.0000"))

    body = api.get(URL + "?period=2026-03").json()

    assert body["forecast"] == "3.75"


def test_the_schema_documents_forecast_and_cap(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    usage = schema["components"]["schemas"]["Usage"]["properties"]
    assert usage["forecast"]["type"] == "string"
    cap = schema["components"]["schemas"]["UsageSpendCap"]["properties"]
    assert set(cap) == {"monthly_cap", "alert_at_percent", "on_cap", "currency"}
