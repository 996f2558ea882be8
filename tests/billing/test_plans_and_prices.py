"""Plans and the WhatsApp price table: seeded data, the price lookup and the plan policy."""

import datetime as dt
from decimal import Decimal

import pytest

from billing.models import Plan, PriceRule
from billing.plans import BillingPlanPolicy, plan_limits
from billing.pricing import whatsapp_unit_price
from messaging.policy import PlanLimits, get_policy
from tests.factories import AccountFactory
from tests.factories.billing import PriceRuleFactory, plans  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("plans")

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def at(year, month=1, day=1):
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def test_the_migration_seeds_the_four_plans_and_their_prices():
    assert list(Plan.objects.values_list("code", "whatsapp_allowed", "max_whatsapp_countries")) == [
        ("free", False, None), ("lite", True, 2), ("growth", True, None), ("premium", True, None),
    ]
    assert {rule.plan.code: rule.unit_price for rule in PriceRule.objects.select_related("plan")} == {
        "lite": Decimal("0.16"), "growth": Decimal("0.14"), "premium": Decimal("0.12"),
    }


@pytest.mark.parametrize("plan, price", [("lite", "0.16"), ("growth", "0.14"), ("premium", "0.12")])
def test_the_seeded_price_applies_to_any_company_country(plan, price):
    account = AccountFactory(plan=plan, country="FR")

    assert whatsapp_unit_price(account, NOW) == (Decimal(price), "EUR")


def test_the_free_plan_has_no_price():
    assert whatsapp_unit_price(AccountFactory(plan="free"), NOW) is None


def test_a_rule_for_the_company_country_beats_the_generic_one(plans):
    PriceRuleFactory(plan=plans["growth"], company_country="BE", valid_from=at(2024), unit_price=Decimal("0.135"))

    assert whatsapp_unit_price(AccountFactory(plan="growth", country="BE"), NOW) == (Decimal("0.135"), "EUR")
    assert whatsapp_unit_price(AccountFactory(plan="growth", country="NL"), NOW) == (Decimal("0.14"), "EUR")


def test_a_country_rule_beats_even_a_newer_generic_rule(plans):
    PriceRuleFactory(plan=plans["growth"], company_country="BE", valid_from=at(2024, 6), unit_price=Decimal("0.13"))
    PriceRuleFactory(plan=plans["growth"], valid_from=at(2026), unit_price=Decimal("0.15"))

    assert whatsapp_unit_price(AccountFactory(plan="growth", country="BE"), NOW)[0] == Decimal("0.13")


def test_the_latest_rule_already_valid_wins(plans):
    PriceRuleFactory(plan=plans["lite"], valid_from=at(2025), unit_price=Decimal("0.17"))
    PriceRuleFactory(plan=plans["lite"], valid_from=at(2026), unit_price=Decimal("0.18"))
    account = AccountFactory(plan="lite")

    assert whatsapp_unit_price(account, NOW)[0] == Decimal("0.18")
    assert whatsapp_unit_price(account, at(2025, 7))[0] == Decimal("0.17")
    assert whatsapp_unit_price(account, at(2024, 7))[0] == Decimal("0.16")


def test_a_future_rule_is_ignored_until_it_starts(plans):
    PriceRuleFactory(plan=plans["premium"], valid_from=at(2027), unit_price=Decimal("0.10"))
    account = AccountFactory(plan="premium")

    assert whatsapp_unit_price(account, NOW)[0] == Decimal("0.12")
    assert whatsapp_unit_price(account, at(2027))[0] == Decimal("0.10")


def test_a_rule_starts_at_its_exact_moment(plans):
    start = dt.datetime(2026, 7, 1, 0, 0, tzinfo=dt.UTC)
    PriceRuleFactory(plan=plans["growth"], valid_from=start, unit_price=Decimal("0.1234"))
    account = AccountFactory(plan="growth")

    assert whatsapp_unit_price(account, start - dt.timedelta(microseconds=1))[0] == Decimal("0.14")
    assert whatsapp_unit_price(account, start)[0] == Decimal("0.1234")


def test_before_any_rule_there_is_no_price():
    assert whatsapp_unit_price(AccountFactory(plan="growth"), at(2020)) is None


def test_plan_limits_come_from_the_plan_rows():
    assert plan_limits("free") == PlanLimits(False, 0, "Free", "Lite")
    assert plan_limits("lite") == PlanLimits(True, 2, "Lite", "Growth")
    assert plan_limits("growth") == PlanLimits(True, None, "Growth", None)


def test_an_admin_can_change_a_limit_without_a_deploy(plans):
    Plan.objects.filter(code="lite").update(max_whatsapp_countries=3)

    assert plan_limits("lite").max_whatsapp_countries == 3


def test_an_unknown_plan_allows_nothing():
    limits = plan_limits("platinum")

    assert not limits.whatsapp_allowed and not limits.allows_whatsapp_countries(1)


def test_billing_registers_its_policy_for_messaging():
    assert isinstance(get_policy(), BillingPlanPolicy)
