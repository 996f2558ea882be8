"""Admin review of invoices and charges. Thin: every change goes through billing.invoice_services.

Invoices are made by the monthly job, never added or deleted here. A draft's notes are the one
thing an admin edits; issued, paid and void invoices are view-only (their amounts never change).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from billing import invoice_services, reconciliation_admin
from billing.documents import invoice_html_response, invoice_pdf_response
from billing.exports import invoices_csv
from billing.models import Charge, Invoice, InvoiceLine, InvoiceStatus
from billing.selectors import invoice_for_admin, invoice_totals, invoices_with_lines, line_charges
from core.errors import RuleViolation

CHARGES_SHOWN_PER_LINE = 10


class PeriodFilter(admin.SimpleListFilter):
    title = "month"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        periods = Invoice.objects.order_by("-period").values_list("period", flat=True).distinct()
        return [(f"{period:%Y-%m}", f"{period:%Y-%m}") for period in periods]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        year, _, month = value.partition("-")
        if not (year.isdigit() and month.isdigit()):
            return queryset.none()
        return queryset.filter(period__year=int(year), period__month=int(month))


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("brand_name", "channel", "unit_price", "quantity", "amount", "charges_behind")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="charges")
    def charges_behind(self, line: InvoiceLine):
        if not line.pk:
            return "-"
        url = reverse("admin:billing_charge_changelist") + f"?invoice_line__id__exact={line.pk}"
        sample = list(line_charges(line=line)[:CHARGES_SHOWN_PER_LINE])
        rows = format_html_join(
            "", "<li>#{} · {} · message {}</li>",
            ((c.pk, f"{c.created_at:%Y-%m-%d %H:%M}", c.message_id or "-") for c in sample),
        )
        if not sample:
            return "none (a void invoice releases its charges)"
        return format_html('<ul style="margin:0;padding-left:1em">{}</ul><a href="{}">all charges of this line</a>',
                           rows, url)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "customer_name", "period_label", "status", "plan", "customer_country", "net", "vat",
                    "total", "issued_at")
    list_select_related = ("account",)
    list_filter = (PeriodFilter, "status", "plan", "customer_country", "reverse_charge")
    search_fields = ("number", "customer_name", "account__company_name", "customer_vat_number")
    ordering = ("-period", "-id")
    inlines = (InvoiceLineInline,)
    actions = ("issue", "mark_paid", "void", "export_csv")
    change_list_template = "billing/admin/invoice_change_list.html"
    fields = (
        "documents", "number", "status", "account", "period", "plan", "customer_name", "customer_country",
        "customer_vat_number", "currency", "net", "vat_rate", "vat", "total", "reverse_charge", "vat_note", "notes",
        "created_at", "issued_at", "paid_at", "voided_at", "void_reason",
    )

    def get_readonly_fields(self, request, obj=None):
        editable = ("notes",) if obj is not None and obj.status == InvoiceStatus.DRAFT else ()
        return [name for name in self.fields if name not in editable]

    def has_add_permission(self, request):
        return False  # the monthly job makes invoices

    def has_delete_permission(self, request, obj=None):
        return False  # void instead: numbers and history stay

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == InvoiceStatus.DRAFT)

    def save_model(self, request, obj, form, change):
        invoice_services.invoice_set_notes(invoice_id=obj.pk, notes=form.cleaned_data["notes"])

    @admin.display(description="month", ordering="period")
    def period_label(self, invoice: Invoice) -> str:
        return invoice.period_label

    @admin.display(description="documents")
    def documents(self, invoice: Invoice):
        return format_html('<a href="{}" target="_blank">Printable page</a> · <a href="{}">PDF</a>',
                           reverse("admin:billing_invoice_document", args=[invoice.pk]),
                           reverse("admin:billing_invoice_pdf", args=[invoice.pk]))

    # --- totals of the filtered list ---------------------------------------------------------
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["invoice_totals"] = invoice_totals(changelist.queryset)
        return response

    # --- documents -----------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:invoice_id>/document/", wrap(self.document_view), name="billing_invoice_document"),
            path("<int:invoice_id>/pdf/", wrap(self.pdf_view), name="billing_invoice_pdf"),
            *super().get_urls(),
        ]

    def _viewable(self, request, invoice_id: int) -> Invoice:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return invoice_for_admin(invoice_id=invoice_id)
        except Invoice.DoesNotExist as exc:
            raise Http404("No such invoice.") from exc

    def document_view(self, request, invoice_id: int):
        return invoice_html_response(self._viewable(request, invoice_id), request=request)

    def pdf_view(self, request, invoice_id: int):
        return invoice_pdf_response(self._viewable(request, invoice_id))

    # --- actions -----------------------------------------------------------------------------
    def _apply(self, request, queryset, service, done: str) -> None:
        succeeded, refused = [], []
        for invoice_id in queryset.order_by("pk").values_list("pk", flat=True):  # fixed lock order
            try:
                succeeded.append(str(service(invoice_id=invoice_id)))
            except RuleViolation as exc:
                refused.append(exc.message)
        if succeeded:
            self.message_user(request, f"{done}: {', '.join(succeeded)}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Issue selected drafts (assigns numbers)", permissions=["change"])
    def issue(self, request, queryset):
        self._apply(request, queryset, invoice_services.invoice_issue, "Issued")

    @admin.action(description="Mark selected invoices paid", permissions=["change"])
    def mark_paid(self, request, queryset):
        self._apply(request, queryset, invoice_services.invoice_mark_paid, "Marked paid")

    @admin.action(description="Void selected invoices (their charges are billed again by the next run)",
                  permissions=["change"])
    def void(self, request, queryset):
        who = request.user.get_username()

        def void_one(*, invoice_id):
            return invoice_services.invoice_void(invoice_id=invoice_id, reason=f"Voided in the admin by {who}")

        self._apply(request, queryset, void_one, "Voided")

    @admin.action(description="Export selected invoices with their lines (CSV)", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="invoices.csv"'
        invoices_csv(invoices_with_lines(queryset.order_by("period", "number", "pk")), response)
        return response


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    """Read-only: charges are made when a provider accepts a message and billed by the job."""

    list_display = ("id", "created_at", "account", "brand", "channel", "unit_price", "currency", "message_id",
                    "invoice")
    list_select_related = ("account", "brand", "invoice_line__invoice")
    list_filter = ("channel", ("invoice_line", admin.EmptyFieldListFilter))
    search_fields = ("account__company_name", "brand__name")
    date_hierarchy = "created_at"
    show_full_result_count = False  # millions of rows: no COUNT(*) of the whole table per page
    change_list_template = "billing/admin/charge_change_list.html"

    def get_urls(self):
        # The reconciliation report against Meta's pricing (billing/reconciliation_admin.py).
        return [*reconciliation_admin.urls(self), *super().get_urls()]

    @admin.display(description="invoice")
    def invoice(self, charge: Charge):
        if charge.invoice_line is None:
            return "-"
        invoice = charge.invoice_line.invoice
        return format_html('<a href="{}">{}</a>', reverse("admin:billing_invoice_change", args=[invoice.pk]), invoice)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
