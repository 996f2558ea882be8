"""VAT of an invoice: the rate by the company's registered country (VatRate table), or the
reverse charge for an EU business with a VAT number in another member state than the seller's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billing.models import VatRate
from billing.seller import seller

# Membership of the EU is law, not admin data: the rates are (billing.VatRate).
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
CENT = Decimal("0.01")
REVERSE_CHARGE_NOTE = (
    "VAT reverse charged: VAT to be accounted for by the recipient (Article 196, Directive 2006/112/EC)."
)
OUTSIDE_EU_NOTE = "VAT not applicable: service supplied outside the EU (Article 44, Directive 2006/112/EC)."


class VatRateMissing(Exception):
    """An EU country has no VatRate row: refusing beats guessing 0%."""


@dataclass(frozen=True)
class VatTreatment:
    rate: Decimal  # percent
    reverse_charge: bool
    note: str

    def vat_on(self, net: Decimal) -> Decimal:
        return (net * self.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def current_vat_rates() -> dict[str, Decimal]:
    """The whole VatRate table (a few dozen rows), for a batch of invoices."""
    return dict(VatRate.objects.values_list("country", "rate"))


def vat_treatment(*, country: str, vat_number: str, rates: Mapping[str, Decimal] | None = None) -> VatTreatment:
    """`rates` (from current_vat_rates) saves a query per invoice; without it the table is read."""
    country = str(country).upper()
    if country in EU_COUNTRIES and country != seller().country and vat_number.strip():
        return VatTreatment(Decimal("0.00"), True, REVERSE_CHARGE_NOTE)
    if rates is None:
        rates = dict(VatRate.objects.filter(country=country).values_list("country", "rate"))
    rate = rates.get(country)
    if rate is None:
        if country in EU_COUNTRIES:
            raise VatRateMissing(f"No VAT rate for {country}: add it under Billing > VAT rates.")
        return VatTreatment(Decimal("0.00"), False, OUTSIDE_EU_NOTE)
    note = OUTSIDE_EU_NOTE if country not in EU_COUNTRIES and not rate else ""
    return VatTreatment(rate, False, note)
