"""Reconciliation: what Meta says a WhatsApp message cost (its status webhooks' `pricing`, stored
per message by messaging) against what we charged the merchant (billing.Charge).

Policy (README, "WhatsApp pricing"): every template message the provider accepts is charged the
plan's unit price, inside an open 24-hour customer-service window or not; our platform templates
are utility templates, so a charge is a charge for a utility message. A row disagrees when:

- `charged_but_free`: we charged it, and Meta says it is not billable or free (`billable: false`,
  type `free_customer_service` or `free_entry_point`);
- `category_differs`: we charged it as utility, and Meta priced it in another category (a template
  re-categorised as MARKETING: about 2.5x Meta's price);
- `billable_not_charged`: Meta bills it, and we charged nothing (e.g. a message replaced by its
  fallback that Meta still delivered).

Admin-only reads across accounts (no tenant acts here); the admin view and its CSV use them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from messaging.models import MessagePricing

CHARGED_CATEGORY = "utility"  # what a charge is for: the platform templates are utility templates
FREE_TYPES = (MessagePricing.Type.FREE_CUSTOMER_SERVICE, MessagePricing.Type.FREE_ENTRY_POINT)

REASONS: dict[str, str] = {
    "charged_but_free": "Charged, but Meta says it is free or not billable",
    "category_differs": "Charged as utility, but Meta priced it in another category",
    "billable_not_charged": "Meta bills it, but nothing was charged",
}

_CHARGED = Q(message__charge__isnull=False) & Q(message__charge__unit_price__gt=0)
_FREE = Q(billable=False) | Q(pricing_type__in=FREE_TYPES)
_OTHER_CATEGORY = ~Q(category="") & ~Q(category=CHARGED_CATEGORY)
_FILTERS: dict[str, Q] = {
    "charged_but_free": _CHARGED & _FREE,
    "category_differs": _CHARGED & _OTHER_CATEGORY,
    "billable_not_charged": Q(billable=True) & ~_CHARGED,
}


@dataclass(frozen=True)
class Disagreement:
    pricing: MessagePricing
    reasons: tuple[str, ...]

    @property
    def message(self):
        return self.pricing.message

    @property
    def charge(self):
        return getattr(self.pricing.message, "charge", None)


def disagreements(*, reason: str = "", since: datetime | None = None, until: datetime | None = None
                  ) -> QuerySet[MessagePricing]:
    """The pricing rows that disagree with our charges (all reasons, or one), newest word first;
    message, brand, account and charge joined (no query per row). `since`/`until`: the message's
    creation time."""
    wanted = _FILTERS[reason] if reason else (_FILTERS["charged_but_free"] | _FILTERS["category_differs"]
                                               | _FILTERS["billable_not_charged"])
    rows = MessagePricing.objects.filter(wanted)
    if since is not None:
        rows = rows.filter(message__created_at__gte=since)
    if until is not None:
        rows = rows.filter(message__created_at__lt=until)
    return rows.select_related("message__brand__account", "message__charge").order_by("-seen_at", "-message_id")


def reasons_of(pricing: MessagePricing) -> tuple[str, ...]:
    """Why this row disagrees (the same rules as the filters, on a loaded row)."""
    charge = getattr(pricing.message, "charge", None)
    charged = charge is not None and charge.unit_price > 0
    free = pricing.billable is False or pricing.pricing_type in FREE_TYPES
    found = []
    if charged and free:
        found.append("charged_but_free")
    if charged and pricing.category not in ("", CHARGED_CATEGORY):
        found.append("category_differs")
    if pricing.billable is True and not charged:
        found.append("billable_not_charged")
    return tuple(found)


def explain(rows: Iterable[MessagePricing]) -> list[Disagreement]:
    return [Disagreement(row, reasons_of(row)) for row in rows]


CSV_HEADER = (
    "message_id", "message_created_at", "account_id", "account", "brand", "template", "recipient", "state",
    "charged_unit_price", "charged_currency", "charge_id", "meta_billable", "meta_pricing_model", "meta_category",
    "meta_type", "meta_seen_at", "reasons",
)


def disagreements_csv(items: Iterable[Disagreement], out) -> None:
    """Write the disagreements as CSV to the file-like `out`."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for item in items:
        message, charge, pricing = item.message, item.charge, item.pricing
        account = message.brand.account
        writer.writerow((
            message.pk, message.created_at.isoformat(), account.pk, account.company_name, message.brand.name,
            message.whatsapp_template, message.recipient, message.state,
            f"{charge.unit_price:.4f}" if charge else "", charge.currency if charge else "", charge.pk if charge else "",
            "" if pricing.billable is None else ("true" if pricing.billable else "false"), pricing.pricing_model,
            pricing.category, pricing.pricing_type, pricing.seen_at.isoformat(), " ".join(item.reasons),
        ))
