"""Reads of invoices, for the API, the panel and the admin. Tenant reads require the account."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet, Sum

from billing.models import Charge, Invoice, InvoiceLine
from brands.models import Account


def _with_lines(invoices: QuerySet) -> QuerySet:
    # Lines carry the brand's name as invoiced; brand is joined for links, never one query a line.
    return invoices.prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.select_related("brand").order_by("brand_name", "channel",
                                                                                          "-unit_price"))
    )


def invoice_list(*, account: Account) -> QuerySet[Invoice]:
    """The invoices a merchant sees: issued or paid ones of their account, newest month first."""
    return _with_lines(Invoice.objects.for_account(account).visible_to_merchants()).order_by("-period", "-id")


def invoice_get(*, account: Account, invoice_id: int) -> Invoice:
    """One invoice a merchant may see; Invoice.DoesNotExist for drafts, void and other accounts'."""
    return invoice_list(account=account).get(pk=invoice_id)


def invoice_for_admin(*, invoice_id: int) -> Invoice:
    """Any invoice with its lines (admins see every account and state)."""
    return _with_lines(Invoice.objects.select_related("account")).get(pk=invoice_id)


def invoices_with_lines(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return _with_lines(invoices.select_related("account"))


def invoice_totals(invoices: QuerySet[Invoice]) -> dict:
    """Count and sums of net, VAT and total of a (filtered) set of invoices, in one query."""
    return invoices.order_by().aggregate(count=Count("id"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))


def line_charges(*, line: InvoiceLine) -> QuerySet[Charge]:
    """The charges an invoice line bills."""
    return Charge.objects.filter(invoice_line=line).order_by("created_at", "id")
