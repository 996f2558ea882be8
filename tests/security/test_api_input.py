"""Hostile API input answers 4xx, never 500, and nothing of it is stored: bodies nested too deep,
NUL characters anywhere in a body, OPTIONS on any route, a usage period past the calendar."""

import pytest
from django.urls import URLPattern, get_resolver

from brands.models import Brand
from messaging.models import ChannelSetting, TemplateOverride
from tests.factories import ShipmentFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tests.test_cross_account_sweep import API_PREFIX, _walk, build_url
from tracking.models import TrackingEvent

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def event_item(**extra):
    return {"carrier": "manual", "tracking_number": "ACME1", "status": "in_transit",
            "occurred_at": "2026-06-01T10:00:00Z", **extra}


# --- nesting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 1_000, 200_000])
def test_a_bulk_event_body_nested_too_deep_is_a_400(api, brand, depth):
    ShipmentFactory(brand=brand, carrier="manual", tracking_number="ACME1")

    response = api.generic("POST", "/api/v1/tracking-events/", nested(depth), content_type="application/json")

    assert response.status_code == 400
    assert "nested deeper than 32" in response.json()["detail"]
    assert not TrackingEvent.objects.exists()


def test_a_notification_document_nested_too_deep_is_a_400(api, brand, plans):
    body = '{"enabled": true, "countries": {"NL": ' + "{\"a\": " * 1_000 + "1" + "}" * 1_000 + "}}"

    response = api.generic("PUT", f"/api/v1/brands/{brand.pk}/notifications/email/", body,
                           content_type="application/json")

    assert response.status_code == 400
    assert not ChannelSetting.objects.exists()


def test_a_brand_name_nested_too_deep_is_a_400(api, account):
    body = '{"name": ' + nested(1_000) + ', "slug": "deep"}'

    response = api.generic("POST", "/api/v1/brands/", body, content_type="application/json")

    assert response.status_code == 400
    assert not Brand.objects.filter(slug="deep").exists()


def test_a_body_nested_as_deep_as_allowed_is_read(api, brand):
    # 32 levels are parsed: the answer is about the content (the item is not an object), not the depth.
    response = api.generic("POST", "/api/v1/tracking-events/", nested(32), content_type="application/json")

    assert response.status_code == 200
    assert response.json()["rejected"][0]["index"] == 0 and "detail" not in response.json()


def test_brackets_inside_strings_do_not_count_as_nesting(api, brand):
    ShipmentFactory(brand=brand, carrier="manual", tracking_number="ACME1")
    item = event_item(description="[" * 200 + "{" * 200, location="]]]}}}")

    response = api.post("/api/v1/tracking-events/", [item], format="json")

    assert response.status_code == 200, response.content
    assert TrackingEvent.objects.get().description.startswith("[[[")


# --- NUL ---------------------------------------------------------------------------------------


def test_a_nul_in_a_bulk_event_is_refused_naming_the_item_and_field(api, brand):
    ShipmentFactory(brand=brand, carrier="manual", tracking_number="ACME1")

    response = api.post("/api/v1/tracking-events/", [event_item(), event_item(description="a\x00b")], format="json")

    assert response.status_code == 400
    assert response.json() == {"1": {"description": ["Null characters are not allowed."]}}
    assert not TrackingEvent.objects.exists()


def test_a_nul_in_a_notification_document_key_is_refused_naming_the_field(api, brand, plans):
    response = api.put(f"/api/v1/brands/{brand.pk}/notifications/email/",
                       {"enabled": True, "countries": {"NL": {"deliv\x00ered": True}}}, format="json")

    assert response.status_code == 400
    assert response.json() == {"countries": {"NL": {"delivered": ["Null characters are not allowed."]}}}
    assert not ChannelSetting.objects.exists()


def test_a_nul_in_a_template_is_refused_naming_the_field(api, brand):
    response = api.put(f"/api/v1/brands/{brand.pk}/templates/email/delivered/en/",
                       {"subject": "Hi\x00", "body": "Delivered <<unsubscribe_url>>"}, format="json")

    assert response.status_code == 400
    assert "subject" in response.json()
    assert not TemplateOverride.objects.exists()


def test_a_nul_in_a_brand_name_is_refused(api, account):
    response = api.post("/api/v1/brands/", {"name": "Ac\x00me", "slug": "acme-nul"}, format="json")

    assert response.status_code == 400 and "name" in response.json()
    assert not Brand.objects.filter(slug="acme-nul").exists()


# --- OPTIONS -----------------------------------------------------------------------------------


def api_routes():
    return [(route, pattern) for route, pattern in _walk(get_resolver().url_patterns)
            if route.startswith(API_PREFIX) and "format" not in route and isinstance(pattern, URLPattern)]


@pytest.mark.parametrize("route, pattern", api_routes(), ids=lambda v: v if isinstance(v, str) else "")
def test_options_answers_200_on_every_api_route(api, account, route, pattern):
    response = api.options(build_url(route, pattern, account))

    assert response.status_code == 200, (route, response.content[:300])


def test_options_describes_the_body_a_view_takes(api):
    response = api.options("/api/v1/shipments/")

    assert response.status_code == 200
    assert {"brand", "carrier", "tracking_number"} <= set(response.json()["actions"]["POST"])


# --- usage period ------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["9999-12", "0000-01", "2026-13", "2026-00", "²⁰²⁶-01"])
def test_a_usage_period_that_is_no_month_is_a_400_naming_period(api, period):
    response = api.get("/api/v1/usage/", {"period": period})

    assert response.status_code == 400 and "period" in response.json()


def test_the_last_countable_month_is_answered(api):
    response = api.get("/api/v1/usage/", {"period": "9999-11"})

    assert response.status_code == 200 and response.json()["period"] == "9999-11"


@pytest.mark.parametrize("path", ["/api/v1/shipments/", "/api/v1/messages/", "/api/v1/conversations/",
                                  "/api/v1/shopper-requests/", "/api/v1/feedback/"])
def test_an_id_filter_past_64_bits_is_a_400_naming_it(api, path):
    response = api.get(path, {"brand": str(2**70)})

    assert response.status_code == 400 and "brand" in response.json(), response.content


def test_a_shipment_for_a_brand_id_past_64_bits_is_a_400_naming_it(api):
    response = api.post("/api/v1/shipments/", {"brand": 2**70, "carrier": "manual", "tracking_number": "BIG1",
                                               "to_country": "NL"}, format="json")

    assert response.status_code == 400 and "brand" in response.json()
