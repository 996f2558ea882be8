"""POST /api/v1/webhook-endpoints/ names every bad field in one 400 (invariant 4): a bad URL and an
unknown event in the same answer, nothing saved."""

import pytest

from webhooks_out.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhook-endpoints/"


@pytest.mark.parametrize("body", [
    {"url": "ftp://x", "events": ["nope"]},
    {"url": "ftp://x", "events": []},
    {},
])
def test_a_bad_url_and_bad_events_are_named_in_one_answer(api, body):
    response = api.post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert {"url", "events"} <= set(response.json()), response.json()
    assert not WebhookEndpoint.objects.exists()


def test_the_url_error_reads_as_before(api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True

    response = api.post(URL, {"url": "ftp://x", "events": ["nope"]}, format="json")

    assert response.json()["url"] == ["Give an http(s):// URL."]
    assert "nope" in response.json()["events"][0]


def test_the_events_are_listed_as_choices_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    items = schema["components"]["schemas"]["WebhookEndpointInputRequest"]["properties"]["events"]["items"]
    ref = items.get("$ref") or items["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]

    assert set(enum) == {"shipment.status_changed", "message.state_changed",
                                            "shopper_request.created", "feedback.created"}
