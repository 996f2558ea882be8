"""Admins review invoices in the Django admin: filters, totals, lines and charges, actions, CSV, documents."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from billing.invoice_services import invoice_issue
from billing.invoicing import invoice_period
from billing.models import Charge, Invoice, InvoiceStatus
from tests.billing.conftest import APRIL_1ST, MARCH, add_charges
from tests.factories import AccountFactory, BrandFactory
from tests.factories.billing import InvoiceFactory

pytestmark = pytest.mark.usefixtures("vat_rates")
CHANGELIST = "/admin/billing/invoice/"


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("admin@parcelcast.test", "admin@parcelcast.test", "pw")
    client.force_login(admin)
    return client


@pytest.fixture
def march_drafts():
    """Three accounts invoiced for March: NL growth (14.00 net), DE lite with a VAT number, BE premium."""
    specs = (("NL", "growth", "", 100, "0.14"), ("DE", "lite", "DE123456789", 50, "0.16"),
             ("BE", "premium", "", 10, "0.12"))
    for country, plan, vat_number, count, price in specs:
        account = AccountFactory(country=country, plan=plan, vat_number=vat_number)
        add_charges(account, BrandFactory(account=account), count, price)
    invoice_period(period=MARCH, now=APRIL_1ST)
    return list(Invoice.objects.order_by("pk"))


def run_action(admin_client, action, invoices):
    return admin_client.post(CHANGELIST, {"action": action, "_selected_action": [i.pk for i in invoices]})


@pytest.mark.parametrize("query", ["", "?period=2026-03", "?status__exact=draft", "?plan__exact=lite",
                                   "?customer_country=DE", "?period=2026-03&status__exact=issued", "?q=PC-2026"])
def test_the_invoice_list_filters_by_month_status_plan_and_country(admin_client, march_drafts, query):
    assert admin_client.get(CHANGELIST + query).status_code == 200


def test_the_list_shows_the_totals_of_the_filtered_invoices(admin_client, march_drafts):
    response = admin_client.get(CHANGELIST + "?customer_country=NL")

    totals = response.context["invoice_totals"]
    assert (totals["count"], totals["net"], totals["vat"], totals["total"]) == (
        1, Decimal("14.00"), Decimal("2.94"), Decimal("16.94"))
    everything = admin_client.get(CHANGELIST).context["invoice_totals"]
    assert everything["count"] == 3 and everything["net"] == Decimal("23.20")
    assert b"net EUR 23.20" in admin_client.get(CHANGELIST).content


def test_the_period_filter_keeps_only_that_month(admin_client, march_drafts):
    InvoiceFactory(account=march_drafts[0].account, period=dt.date(2026, 2, 1))

    response = admin_client.get(CHANGELIST + "?period=2026-02")

    assert response.context["invoice_totals"]["count"] == 1


def test_the_detail_shows_the_lines_and_the_charges_behind_them(admin_client, march_drafts):
    invoice = march_drafts[0]
    line = invoice.lines.get()
    charge = Charge.objects.filter(invoice_line=line).order_by("created_at", "id").first()

    response = admin_client.get(f"{CHANGELIST}{invoice.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f"?invoice_line__id__exact={line.pk}" in content and f"#{charge.pk}" in content
    charges = admin_client.get(f"/admin/billing/charge/?invoice_line__id__exact={line.pk}")
    assert charges.status_code == 200 and charges.context["cl"].result_count == 100


def test_issuing_from_the_admin_numbers_the_selected_drafts_in_order(admin_client, march_drafts):
    response = run_action(admin_client, "issue", march_drafts)

    assert response.status_code == 302
    assert list(Invoice.objects.order_by("pk").values_list("number", "status")) == [
        (f"PC-{dt.date.today().year}-00000{n}", InvoiceStatus.ISSUED) for n in (1, 2, 3)]


def test_marking_paid_and_voiding_from_the_admin(admin_client, march_drafts):
    run_action(admin_client, "issue", march_drafts[:2])

    run_action(admin_client, "mark_paid", march_drafts[:1])
    run_action(admin_client, "void", march_drafts[1:2])

    assert list(Invoice.objects.order_by("pk").values_list("status", flat=True)) == ["paid", "void", "draft"]
    voided = Invoice.objects.get(pk=march_drafts[1].pk)
    assert voided.number and "admin@parcelcast.test" in voided.void_reason
    assert Charge.objects.filter(account=voided.account, invoice_line__isnull=True).count() == 50


def test_an_action_from_the_wrong_state_is_refused_with_a_message(admin_client, march_drafts):
    response = run_action(admin_client, "mark_paid", march_drafts[:1])

    assert Invoice.objects.get(pk=march_drafts[0].pk).status == InvoiceStatus.DRAFT
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("only issued invoices can be marked paid" in m for m in messages)


def test_an_issued_invoice_is_read_only_in_the_admin(admin_client, march_drafts):
    invoice = invoice_issue(invoice_id=march_drafts[0].pk)
    url = f"{CHANGELIST}{invoice.pk}/change/"

    page = admin_client.get(url)
    posted = admin_client.post(url, {"notes": "changed", "total": "1.00"})

    assert page.status_code == 200 and b'name="notes"' not in page.content and b'name="_save"' not in page.content
    assert posted.status_code == 403
    invoice.refresh_from_db()
    assert (invoice.notes, invoice.total) == ("", Decimal("16.94"))


def test_a_drafts_notes_are_editable_but_not_its_amounts(admin_client, march_drafts):
    draft = march_drafts[0]
    url = f"{CHANGELIST}{draft.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {"notes": "PO 4711", "total": "1.00", **{
        k: v for k, v in _management_forms(admin_client.get(url).content.decode()).items()}}

    response = admin_client.post(url, data)

    assert list(form.fields) == ["notes"]
    assert response.status_code == 302, response.content[:3000]
    draft.refresh_from_db()
    assert (draft.notes, draft.total) == ("PO 4711", Decimal("16.94"))


def _management_forms(html: str) -> dict:
    import re
    return dict(re.findall(r'name="(lines-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', html))


def test_invoices_are_neither_added_nor_deleted_in_the_admin(admin_client, march_drafts):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}{march_drafts[0].pk}/delete/").status_code == 403


def test_the_csv_export_has_a_row_per_line_with_the_invoice_figures(admin_client, march_drafts):
    run_action(admin_client, "issue", march_drafts[:1])

    response = run_action(admin_client, "export_csv", march_drafts)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    nl = next(row for row in rows if row["customer_country"] == "NL")
    assert (nl["invoice_number"], nl["period"], nl["quantity"], nl["unit_price"], nl["line_amount"], nl["net"],
            nl["vat_rate"], nl["vat"], nl["total"]) == (
        f"PC-{dt.date.today().year}-000001", "2026-03", "100", "0.1400", "14.00", "14.00", "21.00", "2.94", "16.94")
    assert next(row for row in rows if row["customer_country"] == "DE")["reverse_charge"] == "yes"


def test_admins_open_the_printable_page_and_the_pdf_of_any_invoice(admin_client, march_drafts):
    draft = march_drafts[0]

    page = admin_client.get(f"{CHANGELIST}{draft.pk}/document/")
    pdf = admin_client.get(f"{CHANGELIST}{draft.pk}/pdf/")

    assert page.status_code == 200 and b"Draft invoice" in page.content and b"DRAFT" in page.content
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert admin_client.get(f"{CHANGELIST}999999/pdf/").status_code == 404


def test_members_of_staff_without_billing_rights_cannot_open_documents(client, march_drafts):
    staff = get_user_model().objects.create_user("staff@parcelcast.test", "staff@parcelcast.test", "pw",
                                                 is_staff=True)
    client.force_login(staff)

    assert client.get(f"{CHANGELIST}{march_drafts[0].pk}/pdf/").status_code == 403


@pytest.mark.parametrize("url", ["/admin/billing/vatrate/", "/admin/billing/charge/",
                                 "/admin/billing/charge/?invoice_line__isempty=1"])
def test_vat_rates_and_charges_show_in_the_admin(admin_client, march_drafts, url):
    assert admin_client.get(url).status_code == 200
