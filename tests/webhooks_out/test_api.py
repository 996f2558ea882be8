"""The webhook endpoints API: the secret shown once, clear errors, another account's is a 404."""

import pytest

from brands.models import AuditEvent
from tests.factories import WebhookEndpointFactory
from webhooks_out.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhook-endpoints/"


def test_creating_an_endpoint_shows_its_secret_once(api, account):
    response = api.post(URL, {"url": "https://erp.example.com/hooks", "events": ["feedback.created",
                                                                              "shipment.status_changed"]},
                        format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["events"] == ["shipment.status_changed", "feedback.created"]
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert endpoint.account == account and endpoint.secret == created["secret"]
    listed = api.get(URL).json()["results"]
    assert [e["id"] for e in listed] == [created["id"]] and "secret" not in listed[0]
    assert created["secret"] not in api.get(URL).content.decode()
    assert AuditEvent.objects.filter(account=account, action="webhook_endpoint.create").exists()


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://erp.example.com/", "events": ["feedback.created"]}, "url"),
    ({"url": "https://user:pw@erp.example.com/", "events": ["feedback.created"]}, "url"),
    ({"url": "https://[zz/", "events": ["feedback.created"]}, "url"),
    ({"url": "https://erp.example.com/", "events": []}, "events"),
    ({"url": "https://erp.example.com/", "events": ["order.paid"]}, "events"),
    ({"events": ["feedback.created"]}, "url"),
])
def test_bad_input_names_the_field_and_saves_nothing(api, body, field):
    response = api.post(URL, body, format="json")

    assert response.status_code == 400 and field in response.json(), response.json()
    assert not WebhookEndpoint.objects.exists()


def test_private_addresses_are_refused_at_creation_without_the_setting(api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    for url in ("https://127.0.0.1/h", "https://10.0.0.8/h", "https://localhost/h", "http://erp.example.com/h"):
        response = api.post(URL, {"url": url, "events": ["feedback.created"]}, format="json")
        assert response.status_code == 400 and "url" in response.json(), url
    assert not WebhookEndpoint.objects.exists()


def test_deleting_an_endpoint_hides_it_and_stops_its_events(api, account):
    endpoint = WebhookEndpointFactory(account=account)

    assert api.delete(f"{URL}{endpoint.pk}/").status_code == 204

    assert api.get(URL).json()["results"] == []
    endpoint.refresh_from_db()
    assert endpoint.deleted_at is not None and not endpoint.active
    assert api.delete(f"{URL}{endpoint.pk}/").status_code == 404


def test_another_accounts_endpoint_is_neither_listed_nor_deletable(api, outsider_api, account):
    endpoint = WebhookEndpointFactory(account=account)

    assert outsider_api.get(URL).json()["results"] == []
    assert outsider_api.delete(f"{URL}{endpoint.pk}/").status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.deleted_at is None


def test_the_routes_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/webhook-endpoints/", "/api/v1/webhook-endpoints/{id}/", "/api/v1/shopper-requests/",
                 "/api/v1/shopper-requests/{id}/", "/api/v1/feedback/"):
        assert path in schema["paths"], path
