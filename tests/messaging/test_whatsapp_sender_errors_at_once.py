"""PUT /api/v1/brands/{id}/whatsapp-sender/ names every bad field in one 400 (invariant 4), not one
round per field; nothing is asked of Meta and nothing is saved."""

import pytest
import responses

from messaging.models import WhatsAppSender

pytestmark = pytest.mark.django_db


def url(brand):
    return f"/api/v1/brands/{brand.pk}/whatsapp-sender/"


@pytest.mark.parametrize("body", [
    {"phone_number_id": "", "business_account_id": ""},
    {},
    {"phone_number_id": None, "business_account_id": "12", "access_token": None},
])
def test_every_bad_or_missing_field_is_named_in_one_answer(api, brand, body):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as meta:  # nothing registered: no call
        response = api.put(url(brand), body, format="json")

    assert response.status_code == 400, response.content
    assert {"phone_number_id", "business_account_id", "access_token"} <= set(response.json()), response.json()
    assert response.json()["code"] == "invalid"
    assert not meta.calls
    assert not WhatsAppSender.objects.exists()


def test_a_long_phone_number_id_is_named_with_a_missing_token(api, brand):
    response = api.put(url(brand), {"phone_number_id": "1" * 40, "business_account_id": "102290129340398"},
                       format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"phone_number_id", "access_token", "code"}, response.json()
    assert not WhatsAppSender.objects.exists()
