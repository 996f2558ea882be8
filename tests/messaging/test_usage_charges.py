"""GET /api/v1/usage/ is what will be invoiced: its amount is the period's charges (a deleted
brand's included, as the invoice and the spend total include them), labelled in the account's
currency (a GB account on a GBP price: GBP, never a fixed EUR)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from billing import spend
from billing.models import Plan
from brands.models import Brand
from messaging.message_selectors import usage
from tests.billing.conftest import accept_whatsapp
from tests.factories import BrandFactory
from tests.factories.billing import PriceRuleFactory, seed_default_plans

pytestmark = pytest.mark.django_db
URL = "/api/v1/usage/"


@pytest.fixture(autouse=True)
def _plans(db):
    seed_default_plans()


def this_month() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return dt.datetime.combine(spend.month_of(now), dt.time(), tzinfo=dt.UTC), now + dt.timedelta(seconds=1)


def test_a_gbp_account_sees_its_usage_in_gbp(api, account):
    account.country = "GB"
    account.save(update_fields=["country"])
    PriceRuleFactory(plan=Plan.objects.get(code="growth"), company_country="GB", unit_price="0.12", currency="GBP")
    accept_whatsapp(BrandFactory(account=account), ["0.12"])

    body = api.get(URL).json()

    assert (body["amount"], body["currency"], body["cap"]["currency"]) == ("0.12", "GBP", "GBP")


def test_a_deleted_brands_charges_still_count_as_the_invoice_and_spend_total_count_them(api, account):
    kept, deleted = BrandFactory(account=account), BrandFactory(account=account)
    accept_whatsapp(kept, ["0.14"])
    accept_whatsapp(deleted, ["0.14", "0.14"])

    Brand.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    body = api.get(URL).json()

    assert body["amount"] == "0.42"
    assert body["by_channel"]["whatsapp"] == {"messages": 3, "delivered": 0, "read": 0, "amount": "0.42"}
    spent = spend.spend_outlook(account=account, month=spend.month_of(timezone.now()), at=timezone.now()).spent
    assert Decimal(body["amount"]) == spent


def test_an_expired_messages_withdrawn_charge_is_not_in_the_amount(account):
    from billing.models import Charge

    brand = BrandFactory(account=account)
    messages = accept_whatsapp(brand, ["0.14", "0.14"])
    Charge.objects.filter(message=messages[0]).delete()  # as an expiry withdraws it

    used = usage(account=account, start=this_month()[0], end=this_month()[1])

    assert used["amount"] == Decimal("0.14")


def test_usage_costs_the_same_few_queries_however_many_charges(account, django_assert_max_num_queries):
    brand = BrandFactory(account=account)
    accept_whatsapp(brand, ["0.14"] * 20)
    start, end = this_month()

    with django_assert_max_num_queries(3):
        used = usage(account=account, start=start, end=end)

    assert used["by_channel"]["whatsapp"]["messages"] == 20 and used["amount"] == Decimal("2.80")
