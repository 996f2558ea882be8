"""The answer WhatsApp dispatch gets from billing (messaging.policy's `whatsapp_spend_decision`):
send below the cap, the account's choice at it, in one query."""

import datetime as dt
from decimal import Decimal

import pytest

from messaging.policy import get_policy
from tests.billing.conftest import accept_whatsapp
from tests.factories.billing import SpendCapFactory, SpendMonthFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 18, 10, 0, tzinfo=dt.UTC)
JUNE = dt.date(2026, 6, 1)


def decide(account, at=NOW) -> str:
    return get_policy().whatsapp_spend_decision(account, at)


def test_without_a_cap_whatsapp_is_sent(account, brand):
    accept_whatsapp(brand, ["1000.00"], at=NOW)

    assert decide(account) == "send"


def test_a_removed_cap_sends(account):
    SpendCapFactory(account=account, monthly_cap=None)
    SpendMonthFactory(account=account, month=JUNE, amount=Decimal(1000))

    assert decide(account) == "send"


def test_below_the_cap_whatsapp_is_sent(account, brand):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    accept_whatsapp(brand, ["49.99"], at=NOW)

    assert decide(account) == "send"


def test_at_the_cap_whatsapp_goes_by_the_fallback_channels(account, brand):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="fallback")
    accept_whatsapp(brand, ["49.99"], at=NOW)
    assert decide(account) == "send"

    accept_whatsapp(brand, ["0.01"], at=NOW)

    assert decide(account) == "fallback"


def test_at_the_cap_whatsapp_pauses_when_the_account_chose_to(account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="pause")
    SpendMonthFactory(account=account, month=JUNE, amount=Decimal("50.0001"))

    assert decide(account) == "pause"


def test_a_cap_of_zero_stops_whatsapp_from_the_start(account):
    SpendCapFactory(account=account, monthly_cap=Decimal(0), on_cap="pause")

    assert decide(account) == "pause"


def test_a_new_month_starts_below_the_cap_again(account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    SpendMonthFactory(account=account, month=JUNE, amount=Decimal(80))

    assert decide(account, at=NOW) == "fallback"
    assert decide(account, at=dt.datetime(2026, 7, 1, 0, 0, tzinfo=dt.UTC)) == "send"


def test_another_accounts_spend_never_counts(account, outsider):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    SpendMonthFactory(account=outsider, month=JUNE, amount=Decimal(80))

    assert decide(account) == "send"


def test_the_decision_is_one_query(account, django_assert_num_queries):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    SpendMonthFactory(account=account, month=JUNE, amount=Decimal(80))

    with django_assert_num_queries(1):
        decide(account)
