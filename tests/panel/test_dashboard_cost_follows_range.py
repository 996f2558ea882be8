"""The dashboard's cost card and chart follow the chosen dates: a past range shows what its days
charged, with no forecast or cap (they are this month's); the chart shows the range's days, and by
default the last 30 days, each saying which."""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message, MessageState
from messaging.panel.dashboard import is_this_month
from tests.factories import ChargeFactory, MessageFactory, ShipmentFactory
from tests.factories.billing import SpendCapFactory

pytestmark = pytest.mark.django_db


def _charged(brand, count, at, price="0.14"):
    """`count` WhatsApp messages accepted at `at`, each with its charge."""
    rows = [MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state=MessageState.DELIVERED,
                           price=Decimal(price), currency="EUR") for _ in range(count)]
    Message.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=at, sent_at=at)
    for row in rows:
        ChargeFactory(account=brand.account, brand=brand, message=row, unit_price=Decimal(price), created_at=at)


def _last_month(today):
    until = today.replace(day=1) - dt.timedelta(days=1)
    return until.replace(day=1), until


def test_a_past_range_shows_what_its_days_charged_without_this_months_forecast_or_cap(panel, account, brand):
    # given 3 messages charged last month and 2 this month, and a spend cap
    today = timezone.now().date()
    since, until = _last_month(today)
    _charged(brand, 3, dt.datetime.combine(since + dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC))
    _charged(brand, 2, timezone.now())
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))

    # when
    response = panel.get(reverse("panel:dashboard"), {"since": since.isoformat(), "until": until.isoformat()})
    html = unescape(response.content.decode())

    # then
    cost = response.context["cost"]
    assert cost.amount == Decimal("0.42") and cost.spend is None
    assert "EUR 0.42" in html
    assert "Forecast for" not in html and "of the EUR 50.00 cap" not in html


def test_this_month_keeps_the_forecast_and_the_cap(panel, account, brand):
    _charged(brand, 2, timezone.now())
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))

    response = panel.get(reverse("panel:dashboard"))
    html = unescape(response.content.decode())

    assert response.context["cost"].spend is not None
    assert "Cost so far" in html and "Forecast for" in html and "of the EUR 50.00 cap" in html


def test_a_range_to_a_later_day_of_this_month_is_still_this_month():
    today = dt.date(2026, 12, 3)

    assert is_this_month(dt.date(2026, 12, 1), dt.date(2026, 12, 31), today)
    assert not is_this_month(dt.date(2026, 11, 1), dt.date(2026, 11, 30), today)
    assert not is_this_month(dt.date(2026, 12, 2), dt.date(2026, 12, 3), today)


def test_the_chart_shows_the_chosen_days_and_says_so(panel, brand):
    today = timezone.now().date()
    since, until = _last_month(today)
    _charged(brand, 4, dt.datetime.combine(since, dt.time(9), tzinfo=dt.UTC))
    _charged(brand, 1, timezone.now())  # after the range: not in its chart

    response = panel.get(reverse("panel:dashboard"), {"since": since.isoformat(), "until": until.isoformat()})
    html = unescape(response.content.decode())

    chart = response.context["chart"]
    assert len(chart.bars) == (until - since).days + 1
    assert chart.bars[0].day == since and chart.bars[-1].day == until
    assert chart.total == 4
    assert "Last 30 days" not in html and "is-today" not in html
    assert f"{since:%-d %b} – {until:%-d %b %Y} · 4 messages" in html


def test_the_chart_shows_the_last_30_days_by_default(panel, brand):
    response = panel.get(reverse("panel:dashboard"))

    chart = response.context["chart"]
    assert len(chart.bars) == 30 and chart.bars[-1].day == timezone.now().date()
    assert "Last 30 days" in response.content.decode()


def test_a_past_range_stays_under_the_query_budget(panel, busy_account, django_assert_max_num_queries):
    since, until = _last_month(timezone.now().date())
    with django_assert_max_num_queries(20):
        response = panel.get(reverse("panel:dashboard"), {"since": since.isoformat(), "until": until.isoformat()})
    assert response.status_code == 200
