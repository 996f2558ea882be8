"""VAT by the company's registered country, and the reverse charge for EU businesses abroad."""

from decimal import Decimal

import pytest

from billing.invoicing import invoice_period
from billing.models import Invoice, VatRate
from billing.vat import REVERSE_CHARGE_NOTE, VatRateMissing, vat_treatment
from tests.billing.conftest import APRIL_1ST, MARCH, add_charges
from tests.factories import AccountFactory, BrandFactory

pytestmark = pytest.mark.usefixtures("vat_rates")


def invoice_for(country: str, vat_number: str = "", charges: int = 1000, price: str = "0.14") -> Invoice:
    account = AccountFactory(country=country, vat_number=vat_number)
    add_charges(account, BrandFactory(account=account), charges, price)
    invoice_period(period=MARCH, now=APRIL_1ST)
    return Invoice.objects.get(account=account)


def test_the_migration_seeds_the_eu_standard_rates(vat_rates):
    assert {code: vat_rates[code] for code in ("NL", "DE", "FR", "FI", "LU", "HU")} == {
        "NL": Decimal("21.00"), "DE": Decimal("19.00"), "FR": Decimal("20.00"), "FI": Decimal("25.50"),
        "LU": Decimal("17.00"), "HU": Decimal("27.00"),
    }
    assert len(vat_rates) == 27


@pytest.mark.parametrize("country, rate, vat", [
    ("NL", "21.00", "29.40"), ("DE", "19.00", "26.60"), ("FI", "25.50", "35.70"), ("LU", "17.00", "23.80"),
])
def test_a_company_without_a_vat_number_pays_the_vat_of_its_country(country, rate, vat):
    invoice = invoice_for(country)

    assert (invoice.net, invoice.vat_rate, invoice.vat, invoice.total) == (
        Decimal("140.00"), Decimal(rate), Decimal(vat), Decimal("140.00") + Decimal(vat))
    assert not invoice.reverse_charge


def test_a_dutch_business_pays_dutch_vat_even_with_a_vat_number():
    invoice = invoice_for("NL", "NL123456789B01")

    assert (invoice.vat_rate, invoice.vat, invoice.reverse_charge) == (Decimal("21.00"), Decimal("29.40"), False)


def test_an_eu_business_abroad_with_a_vat_number_is_reverse_charged():
    invoice = invoice_for("DE", "DE123456789")

    assert (invoice.vat_rate, invoice.vat, invoice.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("140.00"))
    assert invoice.reverse_charge and invoice.vat_note == REVERSE_CHARGE_NOTE


def test_a_company_outside_the_eu_pays_no_vat():
    invoice = invoice_for("US", "")

    assert (invoice.vat_rate, invoice.vat, invoice.reverse_charge) == (Decimal("0.00"), Decimal("0.00"), False)
    assert "outside the EU" in invoice.vat_note


def test_vat_is_rounded_half_up_to_the_cent():
    invoice = invoice_for("NL", charges=1, price="0.50")  # 0.50 x 21% = 0.105 -> 0.11

    assert (invoice.net, invoice.vat, invoice.total) == (Decimal("0.50"), Decimal("0.11"), Decimal("0.61"))


def test_an_admin_changed_rate_applies_to_the_next_invoices_only():
    before = invoice_for("DE")
    VatRate.objects.filter(country="DE").update(rate=Decimal("20.00"))

    assert Invoice.objects.get(pk=before.pk).vat_rate == Decimal("19.00")
    assert vat_treatment(country="DE", vat_number="").rate == Decimal("20.00")


def test_an_eu_country_without_a_rate_is_refused_rather_than_guessed():
    VatRate.objects.filter(country="SE").delete()

    with pytest.raises(VatRateMissing, match="SE"):
        vat_treatment(country="SE", vat_number="")
