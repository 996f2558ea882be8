"""Admins see and edit plans and prices in the Django admin."""

import pytest
from django.contrib.auth import get_user_model

from billing.models import PriceRule
from tests.factories.billing import plans  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("plans")


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("admin@parcelcast.test", "admin@parcelcast.test", "pw")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/billing/plan/",
        "/admin/billing/plan/?whatsapp_allowed__exact=1",
        "/admin/billing/pricerule/",
        "/admin/billing/pricerule/?currency=EUR",
        "/admin/billing/pricerule/add/",
        "/admin/messaging/channelsetting/",
        "/admin/messaging/whatsappconsent/",
        "/admin/messaging/templateoverride/",
        "/admin/messaging/channelcountry/",
    ],
)
def test_admin_pages_show(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_a_plan_change_page_lists_its_prices(admin_client, plans):
    response = admin_client.get(f"/admin/billing/plan/{plans['lite'].pk}/change/")

    assert response.status_code == 200
    assert b"0.1600" in response.content


def test_an_admin_adds_a_price_rule(admin_client, plans):
    response = admin_client.post("/admin/billing/pricerule/add/", {
        "plan": plans["growth"].pk, "company_country": "BE", "valid_from_0": "2027-01-01",
        "valid_from_1": "00:00:00", "unit_price": "0.1300", "currency": "EUR",
    })

    assert response.status_code == 302, response.content[:2000]
    assert PriceRule.objects.filter(plan=plans["growth"], company_country="BE").exists()
