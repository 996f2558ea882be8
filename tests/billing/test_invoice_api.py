"""GET /api/v1/invoices/ (and /{id}/, /{id}/pdf/, /{id}/html/): a merchant's issued and paid invoices."""

import datetime as dt
import zlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.invoice_services import invoice_issue, invoice_mark_paid, invoice_void
from billing.invoicing import invoice_period
from billing.models import Invoice, InvoiceStatus
from tests.billing.conftest import APRIL_1ST, MARCH, add_charges
from tests.factories import BrandFactory, MembershipFactory
from tests.factories.billing import InvoiceFactory, InvoiceLineFactory

pytestmark = pytest.mark.usefixtures("vat_rates")


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (its content streams are zlib-compressed)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            chunks.append(stream.decode("latin-1"))
    return "".join(re.findall(r"\((.*?)(?<!\\)\)\s*Tj", "".join(chunks)))


@pytest.fixture
def issued(account):
    shop, outlet = BrandFactory(account=account, name="Shop"), BrandFactory(account=account, name="Outlet")
    add_charges(account, shop, 40, "0.16")
    add_charges(account, shop, 60, "0.14")
    add_charges(account, outlet, 3, "0.0456")
    invoice_period(period=MARCH, now=APRIL_1ST)
    draft = Invoice.objects.get(account=account)
    return invoice_issue(invoice_id=draft.pk, now=dt.datetime(2026, 4, 2, 9, 30, tzinfo=dt.UTC))


def test_a_merchant_reads_an_issued_invoice_with_its_lines(api, issued):
    response = api.get(f"/api/v1/invoices/{issued.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "number", "period", "status", "currency", "net", "vat_rate", "vat", "total",
                                 "issued_at")} == {
        "id": issued.pk, "number": "PC-2026-000001", "period": "2026-03", "status": "issued", "currency": "EUR",
        "net": "14.94", "vat_rate": "21.00", "vat": "3.14", "total": "18.08", "issued_at": "2026-04-02T09:30:00Z",
    }
    assert [{k: line[k] for k in ("channel", "unit_price", "quantity", "amount")} for line in body["lines"]] == [
        {"channel": "whatsapp", "unit_price": "0.0456", "quantity": 3, "amount": "0.14"},
        {"channel": "whatsapp", "unit_price": "0.16", "quantity": 40, "amount": "6.40"},
        {"channel": "whatsapp", "unit_price": "0.14", "quantity": 60, "amount": "8.40"},
    ]
    assert {line["brand"] for line in body["lines"]} == set(issued.lines.values_list("brand_id", flat=True))


def test_the_list_shows_issued_and_paid_invoices_but_not_drafts_or_void(api, account, issued):
    paid = InvoiceFactory(account=account, period=dt.date(2026, 1, 1), issued=True)
    invoice_mark_paid(invoice_id=paid.pk)
    InvoiceFactory(account=account, period=dt.date(2026, 2, 1))  # draft
    voided = InvoiceFactory(account=account, period=dt.date(2025, 12, 1), issued=True)
    invoice_void(invoice_id=voided.pk)

    response = api.get("/api/v1/invoices/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert [(i["period"], i["status"]) for i in response.json()["results"]] == [("2026-03", "issued"),
                                                                                 ("2026-01", "paid")]


@pytest.mark.parametrize("suffix", ["", "pdf/", "html/"])
def test_a_draft_or_void_invoice_is_a_404_for_the_merchant(api, account, suffix):
    draft = InvoiceLineFactory(invoice__account=account).invoice
    voided = InvoiceFactory(account=account, period=dt.date(2025, 12, 1), issued=True)
    invoice_void(invoice_id=voided.pk)

    for invoice in (draft, voided):
        assert api.get(f"/api/v1/invoices/{invoice.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "pdf/", "html/"])
def test_another_accounts_invoice_is_a_404(outsider_api, issued, suffix):
    assert outsider_api.get(f"/api/v1/invoices/{issued.pk}/{suffix}").status_code == 404
    assert outsider_api.get("/api/v1/invoices/").json()["count"] == 0


def test_the_list_needs_no_query_per_invoice_or_line(api, account):
    for month in range(1, 7):
        invoice = InvoiceFactory(account=account, period=dt.date(2025, month, 1), issued=True)
        for _ in range(3):
            InvoiceLineFactory(invoice=invoice)

    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/invoices/")

    assert response.status_code == 200 and response.json()["count"] == 6
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_the_pdf_endpoint_returns_a_pdf_of_the_invoice(api, account, issued):
    account.vat_number = "NL999999999B01"  # the invoice keeps what it was made with
    account.save()

    response = api.get(f"/api/v1/invoices/{issued.pk}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="PC-2026-000001.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in ("Parcelcast B.V.", "Acme Parcels B.V.", "Netherlands", "PC-2026-000001", "March 2026",
                     "Shop: WhatsApp template messages", "0.0456", "6.40", "14.94", "VAT 21%", "3.14", "18.08"):
        assert expected in text, expected


def test_the_pdf_of_a_reverse_charged_invoice_says_so(api, account):
    account.country, account.vat_number = "BE", "BE0123456789"
    account.save()
    add_charges(account, BrandFactory(account=account), 10)
    invoice_period(period=MARCH, now=APRIL_1ST)
    invoice = invoice_issue(invoice_id=Invoice.objects.get(account=account).pk)

    text = pdf_text(api.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content)

    assert "BE0123456789" in text and "Belgium" in text
    assert "VAT reverse charged" in text and "Article 196" in text


def test_a_member_prints_the_html_invoice_with_the_panel_session(client, account, issued):
    client.force_login(MembershipFactory(account=account).user)

    response = client.get(f"/api/v1/invoices/{issued.pk}/html/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "PC-2026-000001" in html and "@media print" in html and "Acme Parcels B.V." in html


def test_invoices_need_authentication(client, issued):
    assert client.get("/api/v1/invoices/").status_code == 401
    assert client.get(f"/api/v1/invoices/{issued.pk}/pdf/").status_code == 401


def test_an_invoice_is_read_only_through_the_api(api, issued):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(f"/api/v1/invoices/{issued.pk}/", {}, format="json").status_code == 405
    assert Invoice.objects.get(pk=issued.pk).status == InvoiceStatus.ISSUED
