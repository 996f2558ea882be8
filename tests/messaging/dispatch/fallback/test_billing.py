"""An expired WhatsApp message is never billed: its charge is withdrawn in the month it was written
in (and never reaches that month's invoice), or credited when an invoice bills it already; the
running spend follows the charges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from billing.invoicing import invoice_period
from billing.models import Charge, Invoice
from billing.periods import Period
from billing.spend_models import SpendMonth
from messaging.models import MessageState
from tests.factories.billing import seed_vat_rates
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import sweep, webhook

pytestmark = pytest.mark.django_db


def spend_equals_charges() -> bool:
    return (SpendMonth.objects.aggregate(total=Sum("amount"))["total"] or 0) == \
        (Charge.objects.aggregate(total=Sum("unit_price"))["total"] or 0)


def this_month_invoiced() -> Invoice:
    """The monthly job for the current month, run as on the 1st of the next one."""
    period = Period.of(timezone.now().date())
    invoice_period(period=period, now=period.end + dt.timedelta(hours=3))
    return Invoice.objects.get(period=period.first)


@pytest.fixture
def two_parcels(brand, accepted, django_capture_on_commit_callbacks):
    """Two WhatsApp messages accepted: one delivered, the other replaced by an SMS."""
    seed_vat_rates()
    kept, replaced = (accepted(ShipmentFactory(brand=brand, recipient_phone=f"+3161234567{n}")) for n in (1, 2))
    webhook(kept, "delivered", run=django_capture_on_commit_callbacks)
    sweep(replaced.sent_at + dt.timedelta(minutes=31), django_capture_on_commit_callbacks)
    kept.refresh_from_db()
    replaced.refresh_from_db()
    return kept, replaced


def test_the_expired_whatsapp_message_is_never_invoiced(two_parcels):
    kept, replaced = two_parcels
    assert replaced.state == MessageState.EXPIRED

    invoice = this_month_invoiced()

    lines = list(invoice.lines.values_list("channel", "quantity", "unit_price", "amount"))
    assert lines == [("whatsapp", 1, Decimal("0.1400"), Decimal("0.14"))]
    assert list(Charge.objects.values_list("message", flat=True)) == [kept.pk]
    assert spend_equals_charges()


def test_a_charge_an_invoice_bills_already_is_credited_and_the_invoice_left_as_it_was(
    brand, shipment, accepted, django_capture_on_commit_callbacks
):
    seed_vat_rates()
    whatsapp = accepted(shipment, "out_for_delivery")
    invoice = this_month_invoiced()  # the job ran before the message's fate was known
    charge = Charge.objects.get(message=whatsapp)

    # a failure report after the invoicing
    webhook(whatsapp, "failed", code="131026", run=django_capture_on_commit_callbacks)

    charge.refresh_from_db()
    invoice.refresh_from_db()
    assert charge.invoice_line is not None and invoice.net == Decimal("0.14")  # unchanged
    credit = Charge.objects.get(message=None)
    assert (credit.unit_price, credit.brand_id, credit.invoice_line) == (Decimal("-0.14"), brand.pk, None)
    assert spend_equals_charges()
    # the next run nets the credit out
    invoice_period(period=Period.of(timezone.now().date()), now=Period.of(timezone.now().date()).end)
    invoice.refresh_from_db()
    assert invoice.net == Decimal("0.00")
