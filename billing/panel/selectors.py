"""Reads of the billing page: the plans an account can choose, with the price it would pay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billing import selectors
from billing.models import Plan
from billing.pricing import whatsapp_unit_price
from brands.models import Account


@dataclass(frozen=True)
class PlanOption:
    code: str
    name: str
    whatsapp_allowed: bool
    max_whatsapp_countries: int | None
    unit_price: Decimal | None
    currency: str
    current: bool


def plan_options(*, account: Account, at: datetime) -> list[PlanOption]:
    """Every plan, cheapest first, with the WhatsApp price for this account's registered country
    (the same rule billing applies: pricing.whatsapp_unit_price). One query per plan: four."""
    options = []
    for plan in Plan.objects.all():
        price = whatsapp_unit_price(Account(plan=plan.code, country=account.country), at) if plan.whatsapp_allowed else None
        options.append(PlanOption(
            code=plan.code, name=plan.name, whatsapp_allowed=plan.whatsapp_allowed,
            max_whatsapp_countries=plan.max_whatsapp_countries if plan.whatsapp_allowed else 0,
            unit_price=price[0] if price else None, currency=price[1] if price else "EUR",
            current=plan.code == account.plan,
        ))
    return options


def merchant_invoices(*, account: Account):
    """The invoices the merchant sees (issued or paid), newest first: billing.selectors' rule."""
    return selectors.invoice_list(account=account)
