"""The admin's reconciliation report: WhatsApp messages whose Meta pricing disagrees with what the
merchant was charged (billing/reconciliation.py says which), filtered by reason and month, and
its CSV. Staff with the view permission on charges only; read-only."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from billing import reconciliation

PER_PAGE = 100


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path("reconciliation/", wrap(lambda request: report_view(model_admin, request)),
             name="billing_charge_reconciliation"),
        path("reconciliation.csv", wrap(lambda request: csv_view(model_admin, request)),
             name="billing_charge_reconciliation_csv"),
    ]


def _filters(request) -> tuple[str, datetime | None, datetime | None]:
    """?reason=<one of REASONS>&month=YYYY-MM; anything else is ignored (all reasons, all time)."""
    reason = request.GET.get("reason", "")
    reason = reason if reason in reconciliation.REASONS else ""
    since = until = None
    year, _, month = request.GET.get("month", "").partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and 2000 <= int(year) <= 9999:
        since = datetime(int(year), int(month), 1, tzinfo=UTC)
        until = datetime(int(year) + (int(month) == 12), int(month) % 12 + 1, 1, tzinfo=UTC)
    return reason, since, until


def _allowed(model_admin, request) -> None:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def report_view(model_admin, request):
    _allowed(model_admin, request)
    reason, since, until = _filters(request)
    page = Paginator(reconciliation.disagreements(reason=reason, since=since, until=until), PER_PAGE).get_page(
        request.GET.get("page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "WhatsApp pricing reconciliation",
        "opts": model_admin.model._meta,
        "items": reconciliation.explain(page.object_list),
        "page": page,
        "reasons": reconciliation.REASONS,
        "reason": reason,
        "month": request.GET.get("month", "") if since else "",
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "billing/admin/reconciliation.html", context)


def csv_view(model_admin, request):
    _allowed(model_admin, request)
    reason, since, until = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="whatsapp-pricing-reconciliation.csv"'
    rows = reconciliation.disagreements(reason=reason, since=since, until=until)
    reconciliation.disagreements_csv(reconciliation.explain(rows.iterator(chunk_size=2000)), response)
    return response
