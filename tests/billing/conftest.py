"""Helpers of the invoice tests: charges made in bulk in a past month, and the VAT rates."""

import datetime as dt
from decimal import Decimal

from billing.models import Charge
from billing.periods import Period
from tests.factories.billing import plans, vat_rates  # noqa: F401 - fixtures for this folder

MARCH = Period.parse("2026-03")
APRIL_1ST = dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC)  # when the job runs for March


def add_charges(account, brand, count: int, unit_price: str | Decimal = "0.14", *, channel: str = "whatsapp",
                at: dt.datetime | None = None) -> list[Charge]:
    """`count` charges of `brand`, all at `at` (default: mid-March 2026)."""
    at = at or dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)
    return Charge.objects.bulk_create(
        Charge(account=account, brand=brand, channel=channel, unit_price=Decimal(unit_price), currency="EUR",
               created_at=at)
        for _ in range(count)
    )
