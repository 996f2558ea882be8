"""CSV export of invoices: one row per line, with its invoice's figures repeated on each row
(an invoice without lines still gets one row), so a spreadsheet can sum either."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from billing.models import Invoice

HEADER = (
    "invoice_number", "status", "period", "account_id", "customer_name", "customer_country", "customer_vat_number",
    "plan", "currency", "issued_at", "paid_at", "brand", "channel", "unit_price", "quantity", "line_amount",
    "net", "vat_rate", "vat", "total", "reverse_charge",
)


def invoices_csv(invoices: Iterable[Invoice], out) -> None:
    """Write `invoices` (lines prefetched) as CSV to the file-like `out`."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for invoice in invoices:
        head = (
            invoice.number or "", invoice.status, invoice.period_label, invoice.account_id, invoice.customer_name,
            str(invoice.customer_country), invoice.customer_vat_number, invoice.plan, invoice.currency,
            invoice.issued_at.isoformat() if invoice.issued_at else "",
            invoice.paid_at.isoformat() if invoice.paid_at else "",
        )
        tail = (f"{invoice.net:.2f}", f"{invoice.vat_rate:.2f}", f"{invoice.vat:.2f}", f"{invoice.total:.2f}",
                "yes" if invoice.reverse_charge else "no")
        lines = list(invoice.lines.all())
        for line in lines or [None]:
            body = ("", "", "", "", "") if line is None else (
                line.brand_name, line.channel, f"{line.unit_price:.4f}", line.quantity, f"{line.amount:.2f}",
            )
            writer.writerow((*head, *body, *tail))
