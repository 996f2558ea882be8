"""The price in force for an account's WhatsApp template messages at a moment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Case, IntegerField, Value, When

from billing.models import PriceRule
from brands.models import Account


def whatsapp_unit_price(account: Account, at: datetime) -> tuple[Decimal, str] | None:
    """(unit price, currency) for one WhatsApp template message of `account` at `at`.

    The account's plan decides; a rule for the country where the company is registered beats
    the rule for any country (even an older one: a country-specific price is deliberate); among
    rules of the same kind the latest valid_from <= at wins. None when no rule applies (free).
    """
    country = account.country.code if hasattr(account.country, "code") else str(account.country or "")
    rule = (
        PriceRule.objects.filter(plan__code=account.plan, valid_from__lte=at, company_country__in=[country, ""])
        .annotate(
            specific=Case(When(company_country="", then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("-specific", "-valid_from")
        .values_list("unit_price", "currency")
        .first()
    )
    return (rule[0], rule[1]) if rule else None
