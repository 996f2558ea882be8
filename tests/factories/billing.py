"""Factories of the billing app. Register a tenant builder for every model reachable by an API URL.

Plans and prices are platform data (not tenant data), seeded by billing's data migration;
`seed_default_plans()` re-creates them for tests that run after a table flush."""

import datetime as dt
import importlib
from decimal import Decimal

import factory
import pytest
from django.apps import apps

from billing.models import Charge, Plan, PriceRule

_SEED = importlib.import_module("billing.migrations.0002_seed_plans_and_prices")


def seed_default_plans() -> None:
    """The plans and prices of the data migration (idempotent)."""
    _SEED.seed(apps, None)


@pytest.fixture
def plans(db):
    """The default plans and prices, present even after a transactional test flushed them."""
    seed_default_plans()
    return {plan.code: plan for plan in Plan.objects.all()}


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("code",)

    code = "growth"
    name = factory.LazyAttribute(lambda o: o.code.title())
    whatsapp_allowed = True
    max_whatsapp_countries = None
    sort_order = 20


class PriceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceRule

    plan = factory.SubFactory(PlanFactory)
    company_country = ""
    valid_from = factory.LazyFunction(lambda: dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    unit_price = Decimal("0.14")
    currency = "EUR"


class ChargeFactory(factory.django.DjangoModelFactory):
    """A charge for an accepted WhatsApp message (the message is optional: charges outlive them)."""

    class Meta:
        model = Charge

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    brand = factory.SubFactory("tests.factories.brands.BrandFactory", account=factory.SelfAttribute("..account"))
    message = None
    channel = "whatsapp"
    unit_price = Decimal("0.1400")
    currency = "EUR"
    created_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


# --- Invoices (issue 6) ----------------------------------------------------------------------
from billing.models import Invoice, InvoiceLine, InvoiceStatus, VatRate  # noqa: E402
from tests.factories.registry import register  # noqa: E402

_VAT_SEED = importlib.import_module("billing.migrations.0005_seed_vat_rates")


def seed_vat_rates() -> None:
    """The EU standard rates of the data migration (idempotent)."""
    _VAT_SEED.seed(apps, None)


@pytest.fixture
def vat_rates(db):
    """The seeded VAT rates, present even after a transactional test flushed them."""
    seed_vat_rates()
    return dict(VatRate.objects.values_list("country", "rate"))


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A draft invoice with no lines; `InvoiceFactory(issued=True)` gives an issued one with a number."""

    class Meta:
        model = Invoice
        exclude = ("issued",)

    class Params:
        issued = factory.Trait(
            status=InvoiceStatus.ISSUED,
            number=factory.Sequence(lambda n: f"PC-2099-{n + 1:06d}"),
            issued_at=factory.LazyFunction(lambda: dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)),
        )

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    period = dt.date(2026, 1, 1)
    status = InvoiceStatus.DRAFT
    currency = "EUR"
    net = Decimal("14.00")
    vat_rate = Decimal("21.00")
    vat = Decimal("2.94")
    total = Decimal("16.94")
    customer_name = factory.SelfAttribute("account.company_name")
    customer_country = factory.SelfAttribute("account.country")
    customer_vat_number = factory.SelfAttribute("account.vat_number")
    plan = factory.SelfAttribute("account.plan")


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    brand = factory.SubFactory(
        "tests.factories.brands.BrandFactory", account=factory.SelfAttribute("..invoice.account")
    )
    brand_name = factory.SelfAttribute("brand.name")
    channel = "whatsapp"
    unit_price = Decimal("0.1400")
    quantity = 100
    amount = Decimal("14.00")


def _issued_invoice_with_a_line(account) -> Invoice:
    # Issued, so a merchant of `account` could see it: the sweep's 404 for others then means something.
    line = InvoiceLineFactory(invoice=InvoiceFactory(account=account, issued=True))
    return line.invoice


register(Invoice)(_issued_invoice_with_a_line)


# --- Spend cap (issue 15) ----------------------------------------------------------------------
from billing.spend_models import DailySpend, OnCap, SpendAlert, SpendCap, SpendMonth  # noqa: E402


class SpendCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendCap

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    monthly_cap = Decimal("50.00")
    alert_at_percent = 80
    on_cap = OnCap.FALLBACK


class SpendMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendMonth

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    month = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC).date().replace(day=1))
    amount = Decimal(0)


class DailySpendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailySpend

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    day = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC).date())
    amount = Decimal(0)


class SpendAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendAlert

    account = factory.SubFactory("tests.factories.brands.AccountFactory")
    month = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC).date().replace(day=1))
    percent = 80
    monthly_cap = Decimal("50.00")
    spent = Decimal("40.00")
    on_cap = OnCap.FALLBACK
