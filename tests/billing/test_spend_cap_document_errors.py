"""PUT /api/v1/account/spend-cap/ refuses what it does not know: an unknown key (a typo) is a 400
with code `unknown_field`, never a silent "no cap"; `currency` (read-only) may come back as GET
shows it, any other value is refused; every error carries a `code`; nothing is saved on a 400."""

import pytest
from django.urls import reverse

from billing.spend_models import SpendCap
from brands.models import AuditEvent
from tests.factories.billing import PriceRuleFactory, SpendCapFactory

pytestmark = pytest.mark.django_db
URL = reverse("api:spend-cap")


@pytest.fixture(autouse=True)
def _plans(plans):
    return plans


def test_a_typo_in_the_cap_is_a_400_unknown_field_and_the_cap_stays(api, account):
    SpendCapFactory(account=account, monthly_cap="50.00")

    response = api.put(URL, {"montly_cap": "60.00"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    assert set(response.json()) == {"montly_cap", "code"}
    assert SpendCap.objects.for_account(account).get().monthly_cap == 50
    assert not AuditEvent.objects.for_account(account).filter(action="billing.spend_cap").exists()


def test_every_unknown_key_is_named_in_one_answer_beside_a_bad_value(api, account):
    response = api.put(URL, {"bogus": 1, "montly_cap": "60.00", "on_cap": "stop"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"bogus", "montly_cap", "on_cap", "code"}
    assert response.json()["code"] == "unknown_field"
    assert not SpendCap.objects.for_account(account).exists()


def test_the_document_as_get_shows_it_can_be_put_back(api, account):
    SpendCapFactory(account=account, monthly_cap="50.00", on_cap="pause")
    document = api.get(URL).json()
    document["monthly_cap"] = "70.00"

    response = api.put(URL, document, format="json")

    assert response.status_code == 200
    assert response.json() == {**document, "monthly_cap": "70.00"}


def test_another_currency_is_a_400_read_only_and_nothing_changes(api, account):
    response = api.put(URL, {"monthly_cap": "60.00", "currency": "USD"}, format="json")

    assert response.status_code == 400
    assert (list(response.json()), response.json()["code"]) == (["currency", "code"], "read_only")
    assert not SpendCap.objects.for_account(account).exists()


def test_the_currency_accepted_back_is_the_accounts_own(api, account, plans):
    account.country = "GB"
    account.save(update_fields=["country"])
    PriceRuleFactory(plan=plans["growth"], company_country="GB", unit_price="0.12", currency="GBP")

    assert api.put(URL, {"monthly_cap": "60.00", "currency": "GBP"}, format="json").status_code == 200
    assert api.put(URL, {"monthly_cap": "60.00", "currency": "EUR"}, format="json").json()["code"] == "read_only"


@pytest.mark.parametrize("body, field, code", [
    ({"monthly_cap": "fifty"}, "monthly_cap", "invalid"),
    ({"monthly_cap": "-5"}, "monthly_cap", "out_of_range"),
    ({"alert_at_percent": 101}, "alert_at_percent", "out_of_range"),
    ({"alert_at_percent": "80"}, "alert_at_percent", "invalid"),
    ({"on_cap": "stop"}, "on_cap", "invalid_choice"),
])
def test_a_bad_value_carries_a_stable_code(api, body, field, code):
    response = api.put(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {field: response.json()[field], "code": code}


def test_a_body_that_is_not_an_object_carries_a_code(api):
    response = api.put(URL, ["50.00"], format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_the_schema_documents_the_400_and_its_codes(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    put = schema["paths"]["/api/v1/account/spend-cap/"]["put"]
    assert "unknown_field" in put["responses"]["400"]["description"]
