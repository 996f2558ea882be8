"""Billing: the plan and its price, changing plan (brands.services.account_change_plan, whose
refusals are shown as they are), this month's usage, the spend cap with the month's forecast
(billing.spend), and the invoices (issued or paid) as HTML and PDF, made by billing.documents."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views import View

from billing.documents import pdf_filename, render_invoice_html, render_invoice_pdf
from billing.models import Invoice
from billing.panel.forms import SpendCapForm
from billing.panel.selectors import merchant_invoices, plan_options
from billing.selectors import invoice_get
from billing.spend import spend_cap_set, spend_outlook
from brands.models import Plan
from brands.panel.base import PanelMixin, rule_errors
from brands.services import account_change_plan
from core.errors import RuleViolation
from messaging import message_selectors
from messaging.policy import format_money


class BillingMixin(PanelMixin):
    def billing_page(self, *, plan_error: str = "", spend_form: SpendCapForm | None = None, status: int = 200):
        account, now = self.account, timezone.now()
        first, start, end = message_selectors.parse_period(None, today=now.date())
        options = plan_options(account=account, at=now)
        current = next((option for option in options if option.current), None)
        spend = spend_outlook(account=account, month=first, at=now)
        return render(self.request, "panel/billing/page.html", {
            "month": first,
            "usage": message_selectors.usage(account=account, start=start, end=end),
            "spend": spend,
            "spend_form": spend_form or SpendCapForm(initial={
                "monthly_cap": spend.monthly_cap, "alert_at_percent": spend.alert_at_percent, "on_cap": spend.on_cap,
            }),
            "plans": [(option, format_money(option.unit_price) if option.unit_price is not None else None)
                      for option in options],
            "current": current,
            "current_price": format_money(current.unit_price) if current and current.unit_price is not None else None,
            "invoices": merchant_invoices(account=account),
            "plan_error": plan_error,
            "is_owner": self.is_owner,
        }, status=status)


class BillingView(BillingMixin, View):
    def get(self, request):
        return self.billing_page()


class PlanChangeView(BillingMixin, View):
    def post(self, request):
        if not self.is_owner:
            raise PermissionDenied("Only an owner of the account can change its plan.")
        plan = request.POST.get("plan", "")
        try:
            account = account_change_plan(account=self.account, plan=plan)
        except RuleViolation as exc:
            return self.billing_page(plan_error=exc.message)
        return self.done(reverse("panel:billing"), gettext("You are now on the %(plan)s plan.") % {"plan": Plan(account.plan).label})


class SpendCapUpdateView(BillingMixin, View):
    def post(self, request):
        if not self.is_owner:
            raise PermissionDenied("Only an owner of the account can change its spend cap.")
        form = SpendCapForm(request.POST)
        if form.is_valid():
            try:
                settings = spend_cap_set(account=self.account, **form.cleaned_data)
            except ValidationError as exc:
                rule_errors(form, exc)
            else:
                cap = settings.monthly_cap
                return self.done(reverse("panel:billing") + "#spend-cap",
                                 gettext("Spend cap removed.") if cap is None else gettext("Spend cap saved."))
        return self.billing_page(spend_form=form)


class InvoiceMixin(PanelMixin):
    def invoice(self) -> Invoice:
        try:
            return invoice_get(account=self.account, invoice_id=self.kwargs["pk"])
        except Invoice.DoesNotExist:
            raise Http404("No such invoice.") from None


class InvoiceHtmlView(InvoiceMixin, View):
    def get(self, request, pk: int):
        # The invoice is an English document: its numbers and dates stay English whatever the
        # language the member reads the panel in (the PDF is the same document).
        with translation.override(settings.LANGUAGE_CODE):
            return HttpResponse(render_invoice_html(self.invoice(), request=request))


class InvoicePdfView(InvoiceMixin, View):
    def get(self, request, pk: int):
        invoice = self.invoice()
        response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(invoice)}"'
        return response
