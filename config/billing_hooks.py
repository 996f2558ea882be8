"""billing's parts of the account export and deletion (see config/apps.py and brands/account_data.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

from brands.account_data import register_deletion_guard, register_export_section
from core.errors import RuleViolation


def _charges(account) -> Iterator[dict]:
    from billing.models import Charge

    for charge in Charge.objects.for_account(account).order_by("pk").iterator(chunk_size=1000):
        yield {"id": charge.pk, "brand": charge.brand_id, "message": charge.message_id, "channel": charge.channel,
               "unit_price": charge.unit_price, "currency": charge.currency, "created_at": charge.created_at,
               "invoice_line": charge.invoice_line_id}


def _spend_cap(account) -> Iterator[dict]:
    from billing.spend_models import SpendAlert, SpendCap

    for cap in SpendCap.objects.for_account(account):
        yield {"monthly_cap": cap.monthly_cap, "alert_at_percent": cap.alert_at_percent, "on_cap": cap.on_cap,
               "updated_at": cap.updated_at,
               "alerts": [{"month": f"{alert.month:%Y-%m}", "percent": alert.percent, "monthly_cap": alert.monthly_cap,
                           "spent": alert.spent, "created_at": alert.created_at, "emailed_at": alert.emailed_at}
                          for alert in SpendAlert.objects.for_account(account).order_by("created_at", "pk")]}


def _invoices(account) -> Iterator[dict]:
    from billing.models import Invoice

    for invoice in Invoice.objects.for_account(account).visible_to_merchants().prefetch_related("lines"):
        yield {
            "id": invoice.pk, "number": invoice.number, "period": invoice.period_label, "status": invoice.status,
            "currency": invoice.currency, "net": invoice.net, "vat_rate": invoice.vat_rate, "vat": invoice.vat,
            "total": invoice.total, "issued_at": invoice.issued_at, "paid_at": invoice.paid_at,
            "lines": [{"brand": line.brand_name, "channel": line.channel, "unit_price": line.unit_price,
                       "quantity": line.quantity, "amount": line.amount} for line in invoice.lines.all()],
        }


def refuse_while_invoices_unpaid(account) -> None:
    from billing.models import Invoice, InvoiceStatus

    unpaid = list(Invoice.objects.for_account(account).filter(status=InvoiceStatus.ISSUED)
                  .values_list("number", flat=True)[:5])
    if unpaid:
        raise RuleViolation(
            "confirm", f"The account has unpaid invoices ({', '.join(unpaid)}): pay them before deleting it.",
            code="unpaid_invoices",
        )


def charges_this_month(brand, *, now) -> dict:
    """What the brand was charged this month (UTC, as invoices count): a deleted brand's charges
    stay and are invoiced, which its deletion's confirmation says."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.db.models import Sum

    from billing.models import Charge
    from billing.spend import month_of

    start = datetime.combine(month_of(now), time.min, tzinfo=UTC)
    rows = Charge.objects.for_account(brand.account, include_deleted_brands=True).filter(
        brand_id=brand.pk, created_at__gte=start)
    totals = rows.values("currency").annotate(amount=Sum("unit_price")).order_by("-amount")
    first = totals.first()
    if first is None:
        return {}
    return {"charges_this_month": first["amount"].quantize(Decimal("0.01"), ROUND_HALF_UP), "currency": first["currency"]}


def register() -> None:
    from brands.brand_deletion import register_impact

    register_impact(charges_this_month)
    register_export_section("charges", _charges)
    register_export_section("invoices", _invoices)
    register_export_section("spend_cap", _spend_cap)
    register_deletion_guard(refuse_while_invoices_unpaid)
