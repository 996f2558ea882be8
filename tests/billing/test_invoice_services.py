"""Issue, pay, void: the invoice's lifecycle, its gap-free numbers, and immutability once issued."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from billing.invoice_services import (
    InvoiceStateError,
    invoice_issue,
    invoice_mark_paid,
    invoice_set_notes,
    invoice_void,
)
from billing.invoicing import invoice_period
from billing.models import Charge, Invoice, InvoiceLocked, InvoiceStatus
from billing.numbering import next_invoice_number
from tests.billing.conftest import APRIL_1ST, MARCH, add_charges
from tests.conftest import require_postgres
from tests.factories import AccountFactory
from tests.factories.billing import InvoiceFactory

pytestmark = pytest.mark.usefixtures("vat_rates")

ISSUE_DAY = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def draft(account, brand):
    add_charges(account, brand, 100, "0.14")
    invoice_period(period=MARCH, now=APRIL_1ST)
    return Invoice.objects.get(account=account)


def test_issuing_a_draft_assigns_the_next_number_of_the_year(draft):
    invoice = invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)

    assert (invoice.status, invoice.number, invoice.issued_at) == (InvoiceStatus.ISSUED, "PC-2026-000001", ISSUE_DAY)


def test_numbers_are_sequential_per_year_and_restart_each_year(db):
    drafts = [InvoiceFactory(account=AccountFactory()) for _ in range(4)]

    numbers = [invoice_issue(invoice_id=d.pk, now=ISSUE_DAY).number for d in drafts[:3]]
    next_year = invoice_issue(invoice_id=drafts[3].pk, now=dt.datetime(2027, 1, 2, tzinfo=dt.UTC)).number

    assert numbers == ["PC-2026-000001", "PC-2026-000002", "PC-2026-000003"]
    assert next_year == "PC-2027-000001"


def test_a_number_taken_in_a_rolled_back_transaction_is_handed_out_again(db):
    first, second = InvoiceFactory(account=AccountFactory()), InvoiceFactory(account=AccountFactory())

    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_issue(invoice_id=first.pk, now=ISSUE_DAY)
        raise RuntimeError("the issuing transaction failed")

    assert invoice_issue(invoice_id=second.pk, now=ISSUE_DAY).number == "PC-2026-000001"
    first.refresh_from_db()
    assert (first.status, first.number) == (InvoiceStatus.DRAFT, None)


@pytest.mark.django_db(transaction=True)
def test_numbers_are_only_handed_out_inside_a_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        next_invoice_number(year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_numbers_1_to_n_without_gaps_or_duplicates():
    require_postgres()
    # given: 40 drafts issued from 8 threads at once, each issue in its own transaction
    drafts = [InvoiceFactory(account=AccountFactory()).pk for _ in range(40)]
    start, errors = threading.Barrier(8), []

    def issue_all(ids):
        try:
            start.wait()
            for invoice_id in ids:
                invoice_issue(invoice_id=invoice_id, now=ISSUE_DAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_all, args=(drafts[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"PC-2026-{n:06d}" for n in range(1, 41)]


def test_an_issued_invoice_is_marked_paid(draft):
    invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)

    paid = invoice_mark_paid(invoice_id=draft.pk, now=ISSUE_DAY + dt.timedelta(days=3))

    assert (paid.status, paid.number, paid.paid_at) == (
        InvoiceStatus.PAID, "PC-2026-000001", ISSUE_DAY + dt.timedelta(days=3))


@pytest.mark.parametrize("service, status", [
    (invoice_issue, InvoiceStatus.ISSUED), (invoice_issue, InvoiceStatus.PAID), (invoice_issue, InvoiceStatus.VOID),
    (invoice_mark_paid, InvoiceStatus.DRAFT), (invoice_mark_paid, InvoiceStatus.VOID),
    (invoice_void, InvoiceStatus.PAID), (invoice_void, InvoiceStatus.VOID),
])
def test_a_transition_from_the_wrong_state_is_refused(db, service, status):
    invoice = InvoiceFactory(account=AccountFactory(), issued=status != InvoiceStatus.DRAFT, status=status)

    with pytest.raises(InvoiceStateError) as refused:
        service(invoice_id=invoice.pk)

    assert refused.value.code == "invoice_state"
    invoice.refresh_from_db()
    assert invoice.status == status


def test_a_voided_invoice_keeps_its_number_and_its_charges_can_be_billed_again(draft, account):
    # given: an issued invoice
    issued = invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)

    # when: it is voided
    voided = invoice_void(invoice_id=issued.pk, reason="wrong plan")

    # then: it keeps its number and lines, its charges are free again
    assert (voided.status, voided.number, voided.void_reason) == (InvoiceStatus.VOID, "PC-2026-000001", "wrong plan")
    assert voided.lines.get().quantity == 100
    assert Charge.objects.filter(invoice_line__isnull=True).count() == 100

    # when: the job runs again for that month
    invoice_period(period=MARCH, now=APRIL_1ST)

    # then: a new draft bills them, and the next issue takes the next number
    correction = Invoice.objects.get(account=account, status=InvoiceStatus.DRAFT)
    assert correction.pk != voided.pk and correction.total == voided.total
    assert not Charge.objects.filter(invoice_line__isnull=True).exists()
    assert invoice_issue(invoice_id=correction.pk, now=ISSUE_DAY).number == "PC-2026-000002"


def test_an_issued_invoice_cannot_change_its_amounts(draft):
    invoice = invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)

    for field, value in (("total", Decimal("1.00")), ("net", Decimal("0")), ("vat_rate", Decimal("0")),
                         ("number", "PC-2026-999999"), ("customer_name", "Someone else"), ("notes", "hi")):
        fresh = Invoice.objects.get(pk=invoice.pk)
        setattr(fresh, field, value)
        with pytest.raises(InvoiceLocked, match=field):
            fresh.save()

    invoice.refresh_from_db()
    assert (invoice.net, invoice.total, invoice.number) == (Decimal("14.00"), Decimal("16.94"), "PC-2026-000001")


def test_an_issued_invoice_cannot_go_back_to_draft(draft):
    invoice = invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)
    invoice.status = InvoiceStatus.DRAFT

    with pytest.raises(InvoiceLocked, match="status"):
        invoice.save()


def test_notes_are_edited_only_on_a_draft(draft):
    assert invoice_set_notes(invoice_id=draft.pk, notes="PO 4711").notes == "PO 4711"
    invoice_issue(invoice_id=draft.pk, now=ISSUE_DAY)

    with pytest.raises(InvoiceStateError):
        invoice_set_notes(invoice_id=draft.pk, notes="changed")
