"""Settings → Webhooks: create (the secret shown once), test event, attempts listed, delete; another
account's endpoint is a 404."""

import pytest
import responses
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AccountFactory, WebhookAttemptFactory, WebhookDeliveryFactory, WebhookEndpointFactory
from webhooks_out.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_the_settings_page_links_to_webhooks(panel):
    assert "/app/settings/webhooks/" in panel.get("/app/settings/").content.decode()


def test_with_no_delivery_yet_the_page_says_so_without_counting_none(panel):
    page = panel.get("/app/settings/webhooks/").content.decode()

    assert "Nothing sent yet." in page and "The last 0" not in page


def test_creating_an_endpoint_shows_the_secret_once(panel, account):
    response = panel.post("/app/settings/webhooks/new/", {"url": "https://erp.example.com/h",
                                                          "events": ["shipment.status_changed"]})

    endpoint = WebhookEndpoint.objects.get(account=account)
    assert response.status_code == 200 and endpoint.secret in response.content.decode()
    assert endpoint.secret not in panel.get("/app/settings/webhooks/").content.decode()


def test_a_bad_url_is_explained_beside_the_field(panel, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = panel.post("/app/settings/webhooks/new/", {"url": "https://10.0.0.1/", "events": ["feedback.created"]})

    assert response.status_code == 400 and "private or loopback" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@responses.activate
def test_send_test_event_delivers_it_and_lists_the_attempt(panel, account, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(account=account, url="https://erp.example.com/h")
    responses.post("https://erp.example.com/h", status=418)

    with django_capture_on_commit_callbacks(execute=True):
        response = panel.post(f"/app/settings/webhooks/{endpoint.pk}/test/")

    assert response.status_code == 302
    assert b'"type":"webhook.test"' in responses.calls[0].request.body
    page = panel.get("/app/settings/webhooks/").content.decode()
    assert "webhook.test" in page and "HTTP 418" in page


def test_the_page_costs_a_few_queries_however_many_deliveries(panel, account):
    endpoint = WebhookEndpointFactory(account=account)
    for _ in range(20):
        WebhookAttemptFactory.create_batch(2, delivery=WebhookDeliveryFactory(endpoint=endpoint))

    with CaptureQueriesContext(connection) as queries:
        assert panel.get("/app/settings/webhooks/").status_code == 200

    assert len(queries) < 12


def test_another_accounts_endpoint_is_a_404(panel):
    foreign = WebhookEndpointFactory(account=AccountFactory())

    for action in ("test", "delete", "switch-on"):
        assert panel.post(f"/app/settings/webhooks/{foreign.pk}/{action}/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.deleted_at is None
