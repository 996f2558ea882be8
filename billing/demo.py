"""Demo billing: a monthly WhatsApp spend cap the month is close to ("Send decisions" rule 9).

The month so far has charged SPENT_PERCENT of the cap: parcels delivered from the first of the
month to now, each with its WhatsApp message and that message's charge (demo_history.py), added
to the running totals like a wave of charges. That is past the alert threshold, so the panel
shows the banner and the owner got the alert e-mail, once. The demo's own WhatsApp messages soon
reach the cap; from then on they go by the brands' fallback channels (messaging.demo).

The two months before hold HISTORY_CHARGES delivered parcels each (a shop growing by a tenth a
month: LAST_MONTH_CHARGES last month) with their WhatsApp messages and charges, in a weekly
rhythm (demo_history.by_weekday): `python manage.py invoice` (which invoices the previous month)
makes an invoice at once, without faking the clock; the forecast has weeks of history to learn
from, and `python manage.py forecast_backtest` scores it on last month. Usage, spend, dashboard
and invoice agree, as for a real account.

Idempotent: an account with cap settings already is left alone; a past month's charges are made
once (none there yet).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from billing import spend
from billing.demo_history import by_weekday, delivered_history, evenly
from billing.forecast import month_days
from billing.models import Charge
from billing.pricing import whatsapp_unit_price
from billing.spend_models import OnCap, SpendCap
from brands.models import Account, Brand

CAP = Decimal("25.00")
SPENT_PERCENT = 86
LAST_MONTH_CHARGES = 180
HISTORY_CHARGES = (165, LAST_MONTH_CHARGES)  # the month before last, last month


def seed(account: Account, *, now: dt.datetime | None = None) -> list[Charge]:
    """The past months' charges, this month's and the cap; returns the charges created now."""
    now = now or timezone.now()
    created = seed_history(account, now=now)
    if SpendCap.objects.for_account(account).exists():
        return created
    return created + _seed_this_month(account, now=now)


def seed_history(account: Account, *, now: dt.datetime) -> list[Charge]:
    """Parcels delivered over each of the months before `now`'s (HISTORY_CHARGES, oldest first)
    with their WhatsApp messages and charges, once a month (none there yet)."""
    month, months = spend.month_of(now), []
    for _ in HISTORY_CHARGES:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    return [charge for month, count in zip(months, HISTORY_CHARGES, strict=True)
            for charge in _seed_month(account, month=month, count=count)]


def _seed_month(account: Account, *, month: dt.date, count: int) -> list[Charge]:
    start = dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(month_days(month)[-1] + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    if Charge.objects.for_account(account).filter(created_at__gte=start, created_at__lt=end).exists():
        return []
    price = whatsapp_unit_price(account, start)
    if price is None:
        return []
    return delivered_history(account, moments=by_weekday(month, count), price=price)


def _seed_this_month(account: Account, *, now: dt.datetime) -> list[Charge]:
    price = whatsapp_unit_price(account, now)
    if price is None or not Brand.objects.for_account(account).exists():  # a plan without WhatsApp prices
        return []
    start = dt.datetime.combine(spend.month_of(now), dt.time(), tzinfo=dt.UTC)
    charges = delivered_history(account, price=price, moments=evenly(
        start, max(start, now - dt.timedelta(minutes=5)), int(CAP * SPENT_PERCENT / 100 / price[0])))
    # Set after the charges: setting a cap the month is past the alert of alerts at once (on commit).
    spend.spend_cap_set(account=account, monthly_cap=CAP, alert_at_percent=spend.DEFAULT_ALERT_AT_PERCENT,
                        on_cap=OnCap.FALLBACK, at=now)
    return charges
