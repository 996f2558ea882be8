"""POST /api/v1/account/whatsapp-consent/: the merchant's explicit WhatsApp consent."""

from decimal import Decimal

import pytest
from django.utils import timezone

from brands.models import Plan
from messaging.models import WhatsAppConsent
from messaging.selectors import has_whatsapp_consent
from tests.factories.billing import plans  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("plans")

URL = "/api/v1/account/whatsapp-consent/"
BOTH = {"accept_pricing": True, "accept_phone_data_use": True}


def test_consent_through_an_api_key_is_recorded_with_the_key_and_price(api, api_key, account):
    before = timezone.now()

    response = api.post(URL, BOTH, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["given_by"] == f"API key pc_{api_key.prefix}"
    assert body["unit_price"] == "0.14" and body["currency"] == "EUR"
    consent = WhatsAppConsent.objects.for_account(account).get()
    assert consent.given_by is None
    assert consent.given_at >= before
    assert consent.unit_price == Decimal("0.14") and consent.plan == Plan.GROWTH
    assert has_whatsapp_consent(account=account)


def test_consent_in_a_member_session_names_the_member(client, member, account):
    client.force_login(member)

    response = client.post(URL, BOTH, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["given_by"] == member.email
    assert WhatsAppConsent.objects.for_account(account).get().given_by == member


@pytest.mark.parametrize("false_field", ["accept_pricing", "accept_phone_data_use"])
def test_both_acceptances_must_be_true(api, account, false_field):
    response = api.post(URL, {**BOTH, false_field: False}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [false_field, "code"]
    assert response.json()["code"] == "consent_required"
    assert not has_whatsapp_consent(account=account)


def test_the_pricing_refusal_message_shows_the_price(api):
    response = api.post(URL, {**BOTH, "accept_pricing": False}, format="json")

    assert "EUR 0.14 per WhatsApp message" in response.json()["accept_pricing"][0]


@pytest.mark.parametrize("value", ["true", 1, None])
def test_acceptances_must_be_real_booleans(api, account, value):
    response = api.post(URL, {**BOTH, "accept_pricing": value}, format="json")

    assert response.status_code == 400
    assert "accept_pricing" in response.json()
    assert not has_whatsapp_consent(account=account)


def test_missing_acceptances_are_refused(api):
    response = api.post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"accept_pricing", "accept_phone_data_use"}


def test_a_free_plan_cannot_consent(api, account):
    account.plan = Plan.FREE
    account.save()

    response = api.post(URL, BOTH, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "plan_limit"
    assert "upgrade to Lite" in response.json()["plan"][0]
    assert not has_whatsapp_consent(account=account)


def test_consent_belongs_to_the_account_of_the_key(api, account, outsider):
    api.post(URL, BOTH, format="json")

    assert has_whatsapp_consent(account=account)
    assert not has_whatsapp_consent(account=outsider)


def test_anonymous_consent_is_refused(client):
    assert client.post(URL, BOTH, content_type="application/json").status_code == 401
