"""What the current toggles of a billed channel would cost in a month, worked out from what the
brand's shipments actually did in the last 30 days: each status entry (per destination country)
whose toggle is on would have been one message, at the account's price today.

One aggregate query over tracking's status entries; the panel shows the result beside the grid
and every grid change re-renders it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from brands.models import Brand
from messaging.channels import channel_of
from messaging.selectors import ChannelDocument
from tracking.models import StatusEntry

WINDOW = timedelta(days=30)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class CostEstimate:
    messages: int  # messages the current toggles would have sent in the window
    amount: Decimal
    currency: str
    unit_price: Decimal
    entries: int  # status entries of the brand's shipments in the window (all countries)

    @property
    def unit_price_label(self) -> str:
        from messaging.policy import format_money

        return format_money(self.unit_price)


def status_entry_counts(*, brand: Brand, since: datetime) -> dict[tuple[str, str], int]:
    """{(destination country, status): entries since `since`} for the brand's shipments."""
    rows = (
        StatusEntry.objects.for_account(brand.account)
        .filter(shipment__brand=brand, created_at__gte=since)
        .values_list("shipment__to_country", "status")
        .annotate(entries=Count("id"))
        .order_by()
    )
    return {(str(country), status): entries for country, status, entries in rows}


def monthly_cost_estimate(*, brand: Brand, document: ChannelDocument, at: datetime | None = None) -> CostEstimate | None:
    """The estimate for `document` (the brand's current settings of one channel); None when the
    channel is not billed per message or no price applies to the account."""
    at = at or timezone.now()
    price = channel_of(document.channel).unit_price(brand.account, at)
    if price is None:
        return None
    counts = status_entry_counts(brand=brand, since=at - WINDOW)
    messages = sum(entries for (country, status), entries in counts.items()
                   if document.countries.get(country, {}).get(status))
    unit_price, currency = price
    return CostEstimate(messages=messages, amount=(unit_price * messages).quantize(_CENT), currency=currency,
                        unit_price=unit_price, entries=sum(counts.values()))
