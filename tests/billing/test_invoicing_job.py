"""The monthly job: one draft invoice per account and month, lines per brand/channel/unit price,
every charge billed exactly once, and re-runs that create and change nothing."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import invoicing
from billing.invoicing import invoice_period
from billing.models import Charge, Invoice, InvoiceLine, InvoiceStatus
from billing.periods import Period, PeriodError
from tests.billing.conftest import APRIL_1ST, MARCH, add_charges
from tests.conftest import require_postgres
from tests.factories import AccountFactory, BrandFactory

pytestmark = pytest.mark.usefixtures("vat_rates")


def snapshot():
    """Everything the job writes, to compare before and after a re-run."""
    return (
        list(Invoice.objects.order_by("pk").values()),
        list(InvoiceLine.objects.order_by("pk").values()),
        list(Charge.objects.order_by("pk").values_list("pk", "invoice_line_id")),
    )


def test_an_account_gets_one_draft_with_a_line_per_brand_channel_and_price(account):
    # given
    shop, outlet = BrandFactory(account=account, name="Shop"), BrandFactory(account=account, name="Outlet")
    add_charges(account, shop, 100, "0.14")
    add_charges(account, outlet, 3, "0.14")
    add_charges(account, shop, 7, "0.14", channel="sms")

    # when
    report = invoice_period(period=MARCH, now=APRIL_1ST)

    # then
    invoice = Invoice.objects.get(account=account)
    assert (invoice.status, invoice.period, invoice.currency) == (InvoiceStatus.DRAFT, dt.date(2026, 3, 1), "EUR")
    assert invoice.number is None
    assert sorted(invoice.lines.values_list("brand_name", "channel", "quantity", "amount")) == [
        ("Outlet", "whatsapp", 3, Decimal("0.42")),
        ("Shop", "sms", 7, Decimal("0.98")),
        ("Shop", "whatsapp", 100, Decimal("14.00")),
    ]
    assert (invoice.net, invoice.vat_rate, invoice.vat, invoice.total) == (
        Decimal("15.40"), Decimal("21.00"), Decimal("3.23"), Decimal("18.63"))
    assert report.invoices_created == 1 and report.lines_created == 3 and report.charges_billed == 110


def test_every_charge_is_linked_to_the_line_that_billed_it(account, brand):
    add_charges(account, brand, 5, "0.14")
    add_charges(account, brand, 2, "0.16")

    invoice_period(period=MARCH, now=APRIL_1ST)

    assert not Charge.objects.filter(invoice_line__isnull=True).exists()
    for line in InvoiceLine.objects.all():
        assert line.charges.count() == line.quantity
        assert set(line.charges.values_list("unit_price", flat=True)) == {line.unit_price}


def test_a_plan_change_mid_month_gives_one_line_per_unit_price(account, brand):
    # given: lite (0.16) until the 10th, growth (0.14) afterwards; charges keep their own price
    add_charges(account, brand, 40, "0.16", at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    add_charges(account, brand, 60, "0.14", at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))

    invoice_period(period=MARCH, now=APRIL_1ST)

    lines = Invoice.objects.get(account=account).lines.order_by("-unit_price")
    assert [(line.unit_price, line.quantity, line.amount) for line in lines] == [
        (Decimal("0.1600"), 40, Decimal("6.40")), (Decimal("0.1400"), 60, Decimal("8.40")),
    ]


def test_line_amounts_round_half_up_to_the_cent_and_never_the_unit_price(account, brand):
    add_charges(account, brand, 1, "0.0125")  # 0.0125 -> 0.01 (half-up of 0.0125 is 0.01)
    add_charges(account, brand, 3, "0.0455", channel="sms")  # 0.1365 -> 0.14

    invoice_period(period=MARCH, now=APRIL_1ST)

    invoice = Invoice.objects.get(account=account)
    assert sorted(invoice.lines.values_list("unit_price", "amount")) == [
        (Decimal("0.0125"), Decimal("0.01")), (Decimal("0.0455"), Decimal("0.14"))]
    assert invoice.net == Decimal("0.15")


def test_only_charges_of_the_month_are_billed(account, brand):
    add_charges(account, brand, 1, at=dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=dt.UTC))
    add_charges(account, brand, 2, at=dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC))
    add_charges(account, brand, 4, at=dt.datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=dt.UTC))
    add_charges(account, brand, 8, at=dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC))

    invoice_period(period=MARCH, now=APRIL_1ST)

    assert Invoice.objects.get(account=account).lines.get().quantity == 6
    assert Charge.objects.filter(invoice_line__isnull=True).count() == 9


def test_accounts_without_charges_get_no_invoice(account, outsider, brand):
    add_charges(account, brand, 1)

    invoice_period(period=MARCH, now=APRIL_1ST)

    assert not Invoice.objects.filter(account=outsider).exists()


def test_the_customer_details_are_snapshotted_on_the_invoice(brand, account):
    account.vat_number, account.plan = "NL123456789B01", "lite"
    account.save()
    add_charges(account, brand, 1)

    invoice_period(period=MARCH, now=APRIL_1ST)
    account.company_name = "Renamed B.V."
    account.save()

    invoice = Invoice.objects.get(account=account)
    assert (invoice.customer_name, str(invoice.customer_country), invoice.customer_vat_number, invoice.plan) == (
        "Acme Parcels B.V.", "NL", "NL123456789B01", "lite")


def test_running_the_same_month_again_creates_nothing_and_changes_nothing(account, outsider, brand):
    add_charges(account, brand, 10, "0.14")
    add_charges(outsider, BrandFactory(account=outsider), 5, "0.12")
    invoice_period(period=MARCH, now=APRIL_1ST)
    before = snapshot()

    report = invoice_period(period=MARCH, now=APRIL_1ST + dt.timedelta(days=1))

    assert snapshot() == before
    assert (report.invoices_created, report.invoices_extended, report.charges_billed) == (0, 0, 0)


def test_an_issued_invoice_is_left_alone_by_a_rerun(account, brand):
    from billing.invoice_services import invoice_issue

    add_charges(account, brand, 10)
    invoice_period(period=MARCH, now=APRIL_1ST)
    invoice = invoice_issue(invoice_id=Invoice.objects.get().pk)
    add_charges(account, brand, 2)  # accepted in March, recorded too late
    before = snapshot()

    report = invoice_period(period=MARCH, now=APRIL_1ST)

    assert snapshot() == before
    assert report.late_charges == {account.pk: 2}
    invoice.refresh_from_db()
    assert invoice.total == Decimal("1.69")


def test_late_charges_of_the_month_are_added_to_the_draft(account, brand):
    add_charges(account, brand, 10, "0.14")
    invoice_period(period=MARCH, now=APRIL_1ST)
    add_charges(account, brand, 5, "0.14")
    add_charges(account, brand, 1, "0.16")

    report = invoice_period(period=MARCH, now=APRIL_1ST)

    invoice = Invoice.objects.get(account=account)
    assert sorted(invoice.lines.values_list("unit_price", "quantity")) == [
        (Decimal("0.1400"), 15), (Decimal("0.1600"), 1)]
    assert invoice.net == Decimal("2.26")
    assert (report.invoices_created, report.invoices_extended, report.charges_billed) == (0, 1, 6)


class Crash(BaseException):
    """Like the process dying: not an Exception, so nothing in the job catches it."""


def test_an_interrupted_run_finishes_correctly_when_run_again():
    # given: three accounts with charges
    accounts = [AccountFactory() for _ in range(3)]
    for n, account in enumerate(accounts, start=1):
        add_charges(account, BrandFactory(account=account), n * 10)
    real = invoicing.invoice_account

    def crash_on_the_second(*, account_id, **kwargs):
        if account_id == accounts[1].pk:
            raise Crash("killed")
        return real(account_id=account_id, **kwargs)

    # when: the first run dies at the second account
    with mock.patch.object(invoicing, "invoice_account", side_effect=crash_on_the_second), pytest.raises(Crash):
        invoice_period(period=MARCH, now=APRIL_1ST)

    # then: the first account is fully invoiced, the others untouched
    assert list(Invoice.objects.values_list("account_id", flat=True)) == [accounts[0].pk]
    assert Charge.objects.filter(invoice_line__isnull=True).count() == 50

    # when: it runs again
    report = invoice_period(period=MARCH, now=APRIL_1ST)

    # then: each account has one invoice billing exactly its charges
    assert report.invoices_created == 2
    assert not Charge.objects.filter(invoice_line__isnull=True).exists()
    for n, account in enumerate(accounts, start=1):
        invoice = Invoice.objects.get(account=account)
        assert invoice.lines.get().quantity == n * 10
        assert invoice.net == Decimal("1.40") * n


def test_an_account_that_fails_is_reported_and_the_others_are_invoiced():
    accounts = [AccountFactory() for _ in range(3)]
    for account in accounts:
        add_charges(account, BrandFactory(account=account), 2)
    accounts[1].country = "CH"  # fine: outside the EU, 0%
    accounts[1].save()
    accounts[2].country = "EE"
    accounts[2].save()
    from billing.models import VatRate
    VatRate.objects.filter(country="EE").delete()  # an EU country without a rate is refused

    report = invoice_period(period=MARCH, now=APRIL_1ST)

    assert set(Invoice.objects.values_list("account_id", flat=True)) == {accounts[0].pk, accounts[1].pk}
    assert list(report.failed) == [accounts[2].pk]
    assert "No VAT rate for EE" in report.failed[accounts[2].pk]
    assert Charge.objects.filter(account=accounts[2], invoice_line__isnull=True).count() == 2


def test_the_job_aggregates_in_the_database_not_per_charge(account, brand):
    add_charges(account, brand, 300, "0.14")
    add_charges(account, brand, 200, "0.16")

    with CaptureQueriesContext(connection) as queries:
        invoice_period(period=MARCH, now=APRIL_1ST)

    assert len(queries) < 25, [q["sql"] for q in queries]
    assert sum("GROUP BY" in q["sql"] for q in queries) == 1


def test_charges_in_another_currency_are_refused_not_mixed(account, brand):
    add_charges(account, brand, 1)
    Charge.objects.filter(account=account).update(currency="USD")

    report = invoice_period(period=MARCH, now=APRIL_1ST)

    assert "USD" in report.failed[account.pk]
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("now", [
    dt.datetime(2026, 3, 31, 23, 59, tzinfo=dt.UTC), dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
])
def test_a_month_that_has_not_ended_is_refused(account, brand, now):
    add_charges(account, brand, 1)

    with pytest.raises(PeriodError, match="has not ended"):
        invoice_period(period=MARCH, now=now)

    assert not Invoice.objects.exists()


@pytest.mark.parametrize("value", ["2026-3", "2026-13", "26-03", "2026/03", "", "march", "2026-00"])
def test_a_malformed_period_is_refused(value):
    with pytest.raises(PeriodError, match="YYYY-MM"):
        Period.parse(value)


def test_the_previous_month_of_january_is_december():
    assert str(Period.previous(dt.date(2027, 1, 1))) == "2026-12"
    assert Period.parse("2026-12").end == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def test_a_charge_recorded_between_the_group_by_and_the_link_is_billed_and_counted(account, brand):
    # given: the batch's GROUP BY saw 10 charges, then one more arrives before the account's turn
    add_charges(account, brand, 10, "0.14")
    groups = invoicing.groups_by_account(period=MARCH, account_ids=[account.pk])
    add_charges(account, brand, 1, "0.14")

    outcome = invoicing.invoice_account(period=MARCH, account_id=account.pk, groups=groups[account.pk])

    # then: the line bills what the UPDATE really linked, and the totals follow
    invoice = Invoice.objects.get(account=account)
    assert outcome.charges == 11 and invoice.lines.get().quantity == 11
    assert (invoice.net, invoice.total) == (Decimal("1.54"), Decimal("1.86"))
    assert not Charge.objects.filter(invoice_line__isnull=True).exists()


def test_stale_groups_of_charges_another_run_billed_change_nothing(account, brand):
    add_charges(account, brand, 10, "0.14")
    groups = invoicing.groups_by_account(period=MARCH, account_ids=[account.pk])
    invoice_period(period=MARCH, now=APRIL_1ST)  # another run got there first
    before = snapshot()

    outcome = invoicing.invoice_account(period=MARCH, account_id=account.pk, groups=groups[account.pk])

    assert snapshot() == before
    assert (outcome.created, outcome.extended, outcome.charges) == (False, False, 0)


@pytest.mark.django_db(transaction=True)
def test_the_job_puts_commit_durability_back_for_the_next_user_of_the_connection():
    require_postgres()
    account = AccountFactory()
    add_charges(account, BrandFactory(account=account), 3)

    invoice_period(period=MARCH, now=APRIL_1ST)

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert Invoice.objects.get(account=account).lines.get().quantity == 3
