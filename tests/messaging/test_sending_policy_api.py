"""The sending policy API: GET, PUT /api/v1/brands/{id}/sending-policy/ (API.md)."""

import pytest

from brands.models import AuditEvent
from messaging.models import SendingPolicy
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "quiet_hours": {"enabled": False, "start": "21:00", "end": "08:00",
                    "except": ["out_for_delivery", "delivery_failed", "ready_for_pickup"]},
    "fallback": {"enabled": False, "order": ["whatsapp", "sms", "email"], "after_minutes": 30},
    "max_messages_per_shipment": None,
    "consolidation_seconds": 0,
    "ready_to_ship": "label_created",
}
FULL = {
    "quiet_hours": {"enabled": True, "start": "22:30", "end": "07:00", "except": ["delivered"]},
    "fallback": {"enabled": True, "order": ["whatsapp", "email"], "after_minutes": 45},
    "max_messages_per_shipment": 4,
    "consolidation_seconds": 900,
    "ready_to_ship": "first_scan",
}


def url(brand):
    return f"/api/v1/brands/{brand.pk}/sending-policy/"


def test_a_new_brand_has_the_defaults_without_a_stored_row(api, brand):
    response = api.get(url(brand))

    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert not SendingPolicy.objects.exists()


def test_a_put_document_is_stored_and_read_back(api, brand):
    response = api.put(url(brand), FULL, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == FULL
    assert api.get(url(brand)).json() == FULL


def test_keys_left_out_take_their_defaults_at_every_level(api, brand):
    api.put(url(brand), FULL, format="json")

    response = api.put(url(brand), {"quiet_hours": {"enabled": True}, "max_messages_per_shipment": 6}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        **DEFAULTS,
        "quiet_hours": {**DEFAULTS["quiet_hours"], "enabled": True},
        "max_messages_per_shipment": 6,
    }


def test_an_empty_document_puts_the_defaults_back(api, brand):
    api.put(url(brand), FULL, format="json")

    assert api.put(url(brand), {}, format="json").json() == DEFAULTS
    assert api.get(url(brand)).json() == DEFAULTS


def test_every_bad_field_is_named_in_one_answer_and_nothing_changes(api, brand):
    api.put(url(brand), FULL, format="json")
    bad = {
        "quiet_hours": {"enabled": "yes", "start": "9pm", "end": "24:00", "except": ["lost_in_space"]},
        "fallback": {"order": ["whatsapp", "pigeon"], "after_minutes": 0},
        "max_messages_per_shipment": 51,
        "consolidation_seconds": -1,
        "ready_to_ship": "when_paid",
        "colour": "blue",
    }

    response = api.put(url(brand), bad, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {
        "colour", "quiet_hours.enabled", "quiet_hours.start", "quiet_hours.end", "quiet_hours.except",
        "fallback.order", "fallback.after_minutes", "max_messages_per_shipment", "consolidation_seconds",
        "ready_to_ship", "code",
    }
    assert body["code"] == "unknown_field"
    assert "'pigeon' is not a channel" in body["fallback.order"][0]
    assert api.get(url(brand)).json() == FULL


@pytest.mark.parametrize("document, field, code", [
    ({"quiet_hours": {"start": "25:00"}}, "quiet_hours.start", "invalid_time"),
    ({"quiet_hours": {"start": "08:00", "end": "08:00"}}, "quiet_hours.end", "empty_window"),
    ({"quiet_hours": {"except": ["delivered", "nope"]}}, "quiet_hours.except", "invalid_status"),
    ({"quiet_hours": None}, "quiet_hours", "invalid"),
    ({"fallback": {"order": ["sms", "sms"]}}, "fallback.order", "duplicate_channel"),
    ({"fallback": {"enabled": True, "order": ["whatsapp"]}}, "fallback.order", "no_fallback_channel"),
    # Only WhatsApp is ever replaced: last, it would have nothing to fall back to.
    ({"fallback": {"enabled": True, "order": ["email", "whatsapp"]}}, "fallback.order", "no_fallback_channel"),
    ({"fallback": {"after_minutes": 1441}}, "fallback.after_minutes", "out_of_range"),
    ({"fallback": {"after_minutes": "30"}}, "fallback.after_minutes", "invalid"),
    ({"max_messages_per_shipment": 0}, "max_messages_per_shipment", "out_of_range"),
    ({"max_messages_per_shipment": True}, "max_messages_per_shipment", "invalid"),
    ({"consolidation_seconds": 86401}, "consolidation_seconds", "out_of_range"),
    ({"ready_to_ship": "first-scan"}, "ready_to_ship", "invalid_choice"),
    (["not", "an", "object"], "non_field_errors", "invalid"),
])
def test_a_bad_value_is_a_400_naming_its_field_with_a_code(api, brand, document, field, code):
    response = api.put(url(brand), document, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()


def test_boundaries_are_accepted(api, brand):
    document = {"quiet_hours": {"start": "00:00", "end": "23:59", "except": []},
                "fallback": {"enabled": True, "order": ["sms", "email"], "after_minutes": 1440},
                "max_messages_per_shipment": 50, "consolidation_seconds": 86400}

    response = api.put(url(brand), document, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["max_messages_per_shipment"] == 50


def test_a_change_is_audited_with_before_and_after_and_a_repeat_is_not(api, brand, api_key):
    api.put(url(brand), FULL, format="json")
    api.put(url(brand), FULL, format="json")

    events = list(AuditEvent.objects.filter(action="sending_policy.update"))
    assert len(events) == 1
    assert events[0].api_key == api_key
    assert events[0].details["before"] == DEFAULTS and events[0].details["after"] == FULL
    assert events[0].object_id == str(brand.pk)


def test_another_accounts_brand_is_a_404_and_stays_unchanged(outsider_api, brand):
    assert outsider_api.get(url(brand)).status_code == 404
    assert outsider_api.put(url(brand), FULL, format="json").status_code == 404
    assert not SendingPolicy.objects.exists()


def test_policies_of_two_brands_are_separate(api, account, brand):
    other = BrandFactory(account=account)

    api.put(url(brand), FULL, format="json")

    assert api.get(url(other)).json() == DEFAULTS


def test_the_schema_documents_the_document_with_examples(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/brands/{brand_pk}/sending-policy/"]["put"]

    assert "examples" in operation["requestBody"]["content"]["application/json"]
    assert "required" not in schema["components"]["schemas"]["SendingPolicyInputRequest"]
    assert schema["components"]["schemas"]["SendingPolicy"]["properties"]["max_messages_per_shipment"]["nullable"]
