"""Demo billing: a monthly WhatsApp spend cap the month is close to ("Send decisions" rule 9).

The month so far has charged SPENT_PERCENT of the cap: parcels delivered from the first of the
month to now, each with its WhatsApp message and that message's charge (demo_history.py), added
to the running totals like a wave of charges. That is past the alert threshold, so the panel
shows the banner and the owner got the alert e-mail, once. The demo's own WhatsApp messages soon
reach the cap; from then on they go by the brands' fallback channels (messaging.demo).

Last month holds LAST_MONTH_CHARGES delivered parcels and their WhatsApp messages and charges,
so that `python manage.py invoice` (which invoices the previous month) makes an invoice at once,
without faking the clock. Usage, spend, dashboard and invoice agree, as for a real account.

Idempotent: an account with cap settings already is left alone; last month's charges are made
once (none there yet).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from billing import spend
from billing.demo_history import delivered_history
from billing.models import Charge
from billing.pricing import whatsapp_unit_price
from billing.spend_models import OnCap, SpendCap
from brands.models import Account, Brand

CAP = Decimal("25.00")
SPENT_PERCENT = 86
LAST_MONTH_CHARGES = 180


def seed(account: Account, *, now: dt.datetime | None = None) -> list[Charge]:
    """Last month's charges, the month's charges and the cap; returns the charges created now."""
    now = now or timezone.now()
    created = seed_last_month(account, now=now)
    if SpendCap.objects.for_account(account).exists():
        return created
    return created + _seed_this_month(account, now=now)


def seed_last_month(account: Account, *, now: dt.datetime) -> list[Charge]:
    """Parcels delivered over the previous month with their WhatsApp messages and charges (once),
    for `manage.py invoice` to bill."""
    end = dt.datetime.combine(spend.month_of(now), dt.time(), tzinfo=dt.UTC)
    start = dt.datetime.combine(spend.month_of(end - dt.timedelta(days=1)), dt.time(), tzinfo=dt.UTC)
    if Charge.objects.for_account(account).filter(created_at__gte=start, created_at__lt=end).exists():
        return []
    price = whatsapp_unit_price(account, start)
    if price is None:
        return []
    return delivered_history(account, start=start, end=end, count=LAST_MONTH_CHARGES, price=price)


def _seed_this_month(account: Account, *, now: dt.datetime) -> list[Charge]:
    price = whatsapp_unit_price(account, now)
    if price is None or not Brand.objects.for_account(account).exists():  # a plan without WhatsApp prices
        return []
    start = dt.datetime.combine(spend.month_of(now), dt.time(), tzinfo=dt.UTC)
    charges = delivered_history(account, start=start, end=max(start, now - dt.timedelta(minutes=5)),
                                count=int(CAP * SPENT_PERCENT / 100 / price[0]), price=price)
    # Set after the charges: setting a cap the month is past the alert of alerts at once (on commit).
    spend.spend_cap_set(account=account, monthly_cap=CAP, alert_at_percent=spend.DEFAULT_ALERT_AT_PERCENT,
                        on_cap=OnCap.FALLBACK, at=now)
    return charges
