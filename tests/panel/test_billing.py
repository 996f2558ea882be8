"""Billing: plan and price, changing plan (refusals shown), usage, invoices as HTML and PDF."""

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import InvoiceStatus
from brands.models import Role
from messaging.services.notifications import channel_document_replace
from tests.factories import (
    ChargeFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    MembershipFactory,
    MessageFactory,
    WhatsAppConsentFactory,
)

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_plan_its_price_and_this_months_usage(panel, account, shipment):
    message = MessageFactory(shipment=shipment, channel="whatsapp", state="delivered", price=Decimal("0.14"),
                             currency="EUR", sent_at=timezone.now())
    ChargeFactory(account=account, brand=shipment.brand, message=message, unit_price=Decimal("0.14"))
    response = panel.get(reverse("panel:billing"))

    html = response.content.decode()
    assert response.context["current"].code == "growth"
    assert "EUR 0.14" in html and "EUR 0.16" in html and "EUR 0.12" in html  # growth, lite, premium
    assert response.context["usage"]["amount"] == Decimal("0.14")


def test_changing_plan(panel, account):
    response = panel.post(reverse("panel:plan-change"), {"plan": "premium"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.plan == "premium"


def test_a_refused_plan_change_says_why_and_changes_nothing(panel, account, brand):
    WhatsAppConsentFactory(account=account)
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}, "BE": {}, "DE": {}})

    response = panel.post(reverse("panel:plan-change"), {"plan": "lite"})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "The plan was not changed." in html
    assert "The Lite plan allows WhatsApp in 2 destination countries, but 3 are in use (BE, DE, NL)" in html
    account.refresh_from_db()
    assert account.plan == "growth"


def test_only_an_owner_changes_the_plan(client, account):
    client.force_login(MembershipFactory(account=account, role=Role.MEMBER).user)
    assert client.post(reverse("panel:plan-change"), {"plan": "free"}).status_code == 403
    account.refresh_from_db()
    assert account.plan == "growth"


def test_invoices_list_issued_and_paid_ones_only(panel, account):
    issued = InvoiceFactory(account=account, issued=True, period=dt.date(2026, 1, 1))
    paid = InvoiceFactory(account=account, issued=True, period=dt.date(2026, 2, 1), status=InvoiceStatus.PAID,
                          paid_at=timezone.now())
    InvoiceFactory(account=account, period=dt.date(2026, 3, 1))  # a draft: the admins' work in progress

    response = panel.get(reverse("panel:billing"))

    assert [invoice.pk for invoice in response.context["invoices"]] == [paid.pk, issued.pk]
    html = response.content.decode()
    assert reverse("panel:invoice-pdf", args=[issued.pk]) in html and "Issued · due" in html and "Paid" in html


def test_an_invoice_opens_as_html_and_downloads_as_pdf(panel, account):
    invoice = InvoiceLineFactory(invoice=InvoiceFactory(account=account, issued=True)).invoice

    page = panel.get(reverse("panel:invoice-html", args=[invoice.pk]))
    assert page.status_code == 200 and invoice.number in page.content.decode()

    pdf = panel.get(reverse("panel:invoice-pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f'attachment; filename="{invoice.number}.pdf"' == pdf["Content-Disposition"]


def test_drafts_and_other_accounts_invoices_are_404(panel, account, outsider):
    draft = InvoiceFactory(account=account)
    foreign = InvoiceFactory(account=outsider, issued=True)
    for invoice in (draft, foreign):
        assert panel.get(reverse("panel:invoice-html", args=[invoice.pk])).status_code == 404
        assert panel.get(reverse("panel:invoice-pdf", args=[invoice.pk])).status_code == 404
