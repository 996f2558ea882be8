"""What admins do to invoices: issue (draft -> issued, with its number), mark paid, void.

Every change locks the invoice row, checks the state it starts from, and writes in one
transaction. Amounts are never touched here: they were fixed by the job while the invoice was a
draft, and Invoice.save() refuses to change them once it is not.

Voiding: a voided invoice keeps its number (numbers are never reused or skipped) and its lines
(the record of what it said), but its charges are released (invoice_line set to null). The
next run of the job for that month bills them again into a new draft, the corrected invoice:
only one invoice per account and month may be live, a void one steps aside.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from billing.models import Charge, Invoice, InvoiceStatus
from brands.audit import audit_record
from billing.numbering import next_invoice_number
from core.errors import RuleViolation


class InvoiceStateError(RuleViolation):
    def __init__(self, invoice: Invoice, action: str, allowed: tuple[str, ...]):
        super().__init__(
            "status",
            f"Invoice {invoice} is {invoice.status}: only {' or '.join(allowed)} invoices can be {action}.",
            code="invoice_state",
        )


def _locked(invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice_id)


@transaction.atomic
def invoice_issue(*, invoice_id: int, now: dt.datetime | None = None) -> Invoice:
    """Draft -> issued: the next number of the issue year, taken in this same transaction."""
    invoice = _locked(invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(invoice, "issued", (InvoiceStatus.DRAFT,))
    now = now or timezone.now()
    invoice.number = next_invoice_number(year=now.year)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = now
    invoice.save(update_fields=["number", "status", "issued_at", "updated_at"])
    _audit(invoice, "invoice.issue", InvoiceStatus.DRAFT)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice_id: int, now: dt.datetime | None = None) -> Invoice:
    invoice = _locked(invoice_id)
    if invoice.status != InvoiceStatus.ISSUED:
        raise InvoiceStateError(invoice, "marked paid", (InvoiceStatus.ISSUED,))
    invoice.status = InvoiceStatus.PAID
    invoice.paid_at = now or timezone.now()
    invoice.save(update_fields=["status", "paid_at", "updated_at"])
    _audit(invoice, "invoice.pay", InvoiceStatus.ISSUED)
    return invoice


@transaction.atomic
def invoice_void(*, invoice_id: int, reason: str = "", now: dt.datetime | None = None) -> Invoice:
    """Draft or issued -> void; its charges become billable again. A paid invoice is not voided
    (money was received: that takes a credit note)."""
    invoice = _locked(invoice_id)
    if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED):
        raise InvoiceStateError(invoice, "voided", (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED))
    before = invoice.status
    Charge.objects.filter(invoice_line__in=invoice.lines.all()).update(invoice_line=None)
    invoice.status = InvoiceStatus.VOID
    invoice.voided_at = now or timezone.now()
    invoice.void_reason = reason[:200]
    invoice.save(update_fields=["status", "voided_at", "void_reason", "updated_at"])
    _audit(invoice, "invoice.void", before, reason=invoice.void_reason)
    return invoice


@transaction.atomic
def invoice_set_notes(*, invoice_id: int, notes: str) -> Invoice:
    """The free text printed on the invoice; only while it is a draft."""
    invoice = _locked(invoice_id)
    if invoice.status != InvoiceStatus.DRAFT:
        raise InvoiceStateError(invoice, "edited", (InvoiceStatus.DRAFT,))
    invoice.notes = notes
    invoice.save(update_fields=["notes", "updated_at"])
    return invoice


def _audit(invoice: Invoice, action: str, before: str, **details) -> None:
    # The audit log (brands.audit): the acting admin comes from the request being served.
    audit_record(account=invoice.account, action=action, object_type="invoice", object_id=invoice.pk,
                 before={"status": before}, after={"status": invoice.status, "number": invoice.number}, **details)
