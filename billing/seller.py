"""Who invoices: Parcelcast B.V. Defaults here; each detail can be overridden by the environment
(SELLER_NAME, SELLER_ADDRESS, SELLER_COUNTRY, SELLER_VAT_NUMBER, SELLER_CHAMBER_OF_COMMERCE,
SELLER_IBAN, SELLER_EMAIL) or by a BILLING_SELLER dict in the Django settings."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class Seller:
    name: str = "Parcelcast B.V."
    address: str = "Keizersgracht 100, 1015 AA Amsterdam, Netherlands"
    country: str = "NL"
    vat_number: str = "NL864512379B01"
    chamber_of_commerce: str = "KvK 87654321"
    iban: str = "NL91 ABNA 0417 1643 00"
    email: str = "billing@parcelcast.example"


def seller() -> Seller:
    """The seller's details: settings.BILLING_SELLER beats the environment, which beats the defaults."""
    overrides = {f.name: os.environ[f"SELLER_{f.name.upper()}"] for f in fields(Seller)
                 if os.environ.get(f"SELLER_{f.name.upper()}")}
    overrides.update(getattr(settings, "BILLING_SELLER", {}) or {})
    result = replace(Seller(), **overrides)
    return replace(result, country=result.country.upper())
