"""A refused body names every bad field in one answer (API.md: "one round, not one per fix"):
shipments, events (one and in bulk), brands, notification documents and templates, through the
API, the services and the panel."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brands.models import Brand
from core.errors import RuleViolation
from messaging.models import ChannelSetting, TemplateOverride
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, ShipmentFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tracking.models import Shipment, TrackingEvent
from tracking.services import clean_event, shipment_create

pytestmark = pytest.mark.django_db


def test_a_shipment_with_eight_bad_fields_names_all_eight_at_once(api, account, outsider):
    body = {
        "brand": BrandFactory(account=outsider).pk,  # another account's: refused like a missing one
        "carrier": "pigeon",
        "carrier_name": "Post\nNL",
        "tracking_number": "ABC1",
        "recipient_phone": "0612345678",
        "recipient_email": "not-an-email",
        "language": "xx",
        "to_country": "XX",
        "expected_delivery": "tomorrow",
    }

    response = api.post("/api/v1/shipments/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"brand", "carrier", "carrier_name", "recipient_phone", "recipient_email",
                                    "language", "to_country", "expected_delivery"}
    assert not Shipment.objects.exists()


def test_the_shipment_service_names_every_bad_field_at_once(account, outsider):
    with pytest.raises(ValidationError) as refused:
        shipment_create(account=account, brand=BrandFactory(account=outsider).pk, carrier="pigeon",
                        tracking_number="ABC1", recipient_phone="0612", recipient_email="nope", to_country="XX")

    assert set(refused.value.message_dict) == {"brand", "carrier", "recipient_phone", "recipient_email",
                                               "to_country"}
    assert not Shipment.objects.exists()


def test_an_existing_shipment_is_still_answered_when_resent(account, brand):
    first, _ = shipment_create(account=account, brand=brand.pk, carrier="manual", tracking_number="ABC1",
                               to_country="NL")

    again, created = shipment_create(account=account, brand=brand.pk, carrier="manual", tracking_number="abc1",
                                     to_country="NL")

    assert (again.pk, created) == (first.pk, False)


def test_an_event_with_five_bad_fields_names_all_five_at_once(api, brand):
    shipment = ShipmentFactory(brand=brand, carrier="manual")
    body = {"status": "teleported", "occurred_at": "2026-06-01T10:00:00", "location": "x" * 201,
            "description": "x" * 501, "external_id": "x" * 129}

    response = api.post(f"/api/v1/shipments/{shipment.pk}/events/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"status", "occurred_at", "location", "description", "external_id"}
    assert not TrackingEvent.objects.exists()


def test_a_bulk_call_names_every_bad_field_of_every_bad_item_at_once(api, brand):
    good = {"carrier": "manual", "tracking_number": "A1", "status": "in_transit",
            "occurred_at": "2026-06-01T10:00:00Z"}
    items = [good, {**good, "carrier": "pigeon", "status": "teleported"},
             {**good, "tracking_number": "", "occurred_at": "yesterday", "location": "x" * 201}]

    response = api.post("/api/v1/tracking-events/", items, format="json")

    assert response.status_code == 200  # the good item is taken; the bad ones come back, every field
    found: dict[int, set[str]] = {}
    for rejection in response.json()["rejected"]:
        found.setdefault(rejection["index"], set()).add(rejection["field"])
    assert found == {1: {"carrier", "status"}, 2: {"tracking_number", "occurred_at", "location"}}


def test_a_brand_with_seven_bad_fields_names_all_seven_at_once(api, account, outsider):
    BrandFactory(account=outsider, slug="taken")
    body = {"name": "Acme\nBcc: x@example.com", "slug": "taken", "whatsapp_number": "0612",
            "support_email": "nope", "default_language": "xx", "primary_color": "teal", "logo_url": "not a url"}

    response = api.post("/api/v1/brands/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"name", "slug", "whatsapp_number", "support_email", "default_language",
                                    "primary_color", "logo_url"}
    assert not Brand.objects.for_account(account).exists()


def test_a_notification_document_names_every_problem_at_once(api, brand, plans):
    body = {"channel": "sms", "enabled": "yes",
            "countries": {"XX": {}, "NL": {"teleported": True, "delivered": "yes"}, "BE": {}}}

    response = api.put(f"/api/v1/brands/{brand.pk}/notifications/email/", body, format="json")

    answer = response.json()
    assert response.status_code == 400
    assert {"channel", "enabled", "countries"} <= set(answer) and answer["code"] == "channel_mismatch"
    assert len(answer["countries"]) == 3  # XX, teleported and "yes"
    assert not ChannelSetting.objects.exists()


def test_a_notification_document_missing_its_fields_names_them_all(api, brand, plans):
    response = api.put(f"/api/v1/brands/{brand.pk}/notifications/email/", {}, format="json")

    assert response.status_code == 400 and {"enabled", "countries"} <= set(response.json())


def test_a_huge_bad_document_names_a_readable_number_of_problems(brand, plans):
    with pytest.raises(RuleViolation) as refused:
        channel_document_replace(brand=brand, channel="email", enabled=True,
                                 countries={f"X{n}": {} for n in range(5_000)})

    assert len(refused.value.violations) == 20


@pytest.mark.parametrize("body, fields", [
    ({"subject": "", "body": "Delivered"}, {"subject", "body"}),  # no subject, no unsubscribe link
    ({"subject": "Two\nlines"}, {"subject", "body"}),  # a broken subject and no body at all
    ({"subject": "<<nope>>", "body": "<<nope>> <<unsubscribe_url>>"}, {"subject", "body"}),
])
def test_a_template_names_the_problems_of_subject_and_body_at_once(api, brand, plans, body, fields):
    response = api.put(f"/api/v1/brands/{brand.pk}/templates/email/delivered/en/", body, format="json")

    assert response.status_code == 400
    assert fields <= set(response.json()) and "code" in response.json()
    assert not TemplateOverride.objects.exists()


def test_the_panel_shows_the_problems_of_subject_and_body_together(panel, brand, plans):
    response = panel.post(reverse("panel:template-editor", args=[brand.pk, "email"]),
                          {"status": "delivered", "language": "en", "subject": "", "body": "Delivered"})

    assert response.status_code == 200
    assert {"subject", "body"} <= set(response.context["form"].errors)
    assert not TemplateOverride.objects.exists()


def test_one_problem_keeps_its_own_code(api, brand, plans):
    response = api.put(f"/api/v1/brands/{brand.pk}/templates/email/delivered/en/",
                       {"subject": "Delivered", "body": "Delivered"}, format="json")

    assert response.json() == {"body": [response.json()["body"][0]], "code": "unsubscribe_required"}


def test_the_event_service_names_every_bad_field_at_once():
    with pytest.raises(ValidationError) as refused:
        clean_event(status="teleported", occurred_at="2026-06-01T10:00:00", location="x" * 201,
                    description="x" * 501, external_id="x" * 129)

    assert set(refused.value.message_dict) == {"status", "occurred_at", "location", "description", "external_id"}
