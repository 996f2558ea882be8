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
