"""PUT/GET/DELETE /api/v1/brands/{id}/whatsapp-sender/: credentials checked with Meta when saved,
the token write-only and stored encrypted, another account's brand a 404."""

from unittest import mock

import pytest
import requests

from brands.models import AuditEvent
from messaging.models import WhatsAppSender
from tests.factories import BrandFactory
from tests.factories.messaging import WhatsAppSenderFactory
from tests.messaging.senders.conftest import GRAPH, NUMBER_ID, TOKEN, WABA_ID, graph_error, number_lookup

pytestmark = pytest.mark.django_db
BODY = {"phone_number_id": NUMBER_ID, "business_account_id": WABA_ID, "access_token": TOKEN}


def url(brand):
    return f"/api/v1/brands/{brand.pk}/whatsapp-sender/"


def test_a_checked_number_is_connected_and_its_token_never_returned(api, brand, meta, django_capture_on_commit_callbacks):
    call = number_lookup(meta)

    with mock.patch("messaging.senders.after_connect") as after_connect, \
            django_capture_on_commit_callbacks(execute=True):
        response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"sends_from": "own", "phone_number_id": NUMBER_ID, "business_account_id": WABA_ID,
                               "display_phone_number": "+31 20 123 4567", "verified_name": "Acme Shoes",
                               "connected_at": response.json()["connected_at"]}
    assert TOKEN not in response.content.decode()
    assert call.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    sender = WhatsAppSender.objects.get(brand=brand)
    assert (sender.phone_number_id, sender.business_account_id) == (NUMBER_ID, WABA_ID)
    # the templates of that business account are synced next (the seam, run by its task)
    after_connect.assert_called_once()
    assert after_connect.call_args.args[0].pk == sender.pk
    # <<whatsappnumber>> and the tracking page now show the number that sends
    brand.refresh_from_db()
    assert brand.whatsapp_number == "+31201234567"
    event = AuditEvent.objects.get(action="whatsapp_sender.connect")
    assert TOKEN not in str(event.details)


def test_get_shows_the_number_and_never_the_token(api, brand):
    WhatsAppSenderFactory(brand=brand, token=TOKEN, phone_number_id=NUMBER_ID, verified_name="Acme Shoes")

    response = api.get(url(brand))

    assert response.status_code == 200
    assert set(response.json()) == {"sends_from", "phone_number_id", "business_account_id", "display_phone_number",
                                    "verified_name", "connected_at"}
    assert response.json()["sends_from"] == "own"
    assert TOKEN not in response.content.decode()
    assert "access_token" not in response.content.decode()


def test_get_without_an_own_number_says_the_platform_number_sends(api, brand):
    response = api.get(url(brand))

    assert response.status_code == 200
    assert response.json()["sends_from"] == "platform" and response.json()["phone_number_id"] is None


@pytest.mark.parametrize("status, error", [
    (401, graph_error(190, "Error validating access token: Session has expired")),
    (400, graph_error(190, "Invalid OAuth access token - Cannot parse access token")),
    (403, graph_error(200, "Permissions error")),
])
def test_a_token_meta_refuses_is_a_400_naming_access_token_and_nothing_is_saved(api, brand, meta, status, error):
    number_lookup(meta, status=status, body=error)

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"access_token", "code"}
    assert response.json()["code"] == "whatsapp_credentials_refused"
    assert TOKEN not in response.content.decode()
    assert not WhatsAppSender.objects.exists()


def test_an_id_meta_does_not_know_is_a_400_naming_phone_number_id(api, brand, meta):
    number_lookup(meta, status=400, body=graph_error(
        100, "Unsupported get request. Object with ID '106540352242922' does not exist, cannot be loaded due to "
             "missing permissions, or does not support this operation", kind="GraphMethodException"))

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 400 and "phone_number_id" in response.json()
    assert "access_token" not in response.json()
    assert not WhatsAppSender.objects.exists()


def test_an_id_that_is_no_phone_number_is_refused(api, brand, meta):
    number_lookup(meta, body={"id": NUMBER_ID, "name": "Acme WABA"})  # a business account id, say

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 400 and "phone_number_id" in response.json()


def test_meta_unreachable_is_a_503_and_nothing_is_saved(api, brand, meta):
    meta.get(f"{GRAPH}/{NUMBER_ID}", body=requests.ConnectionError("Connection refused"))

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "meta_unavailable" and "nothing was saved" in response.json()["detail"]
    assert not WhatsAppSender.objects.exists()
    brand.refresh_from_db()
    assert brand.whatsapp_number == "+31612345678"


def test_meta_down_is_a_503_not_the_merchants_fault(api, brand, meta):
    number_lookup(meta, status=503, body=graph_error(2, "Service temporarily unavailable"))

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 503 and not WhatsAppSender.objects.exists()


def test_malformed_fields_are_each_named_and_meta_is_not_asked(api, brand, meta):
    response = api.put(url(brand), {"phone_number_id": "abc", "business_account_id": "", "access_token": "short"},
                       format="json")

    assert response.status_code == 400
    assert {"phone_number_id", "business_account_id", "access_token"} <= set(response.json())
    assert len(meta.calls) == 0


def test_the_platforms_own_number_cannot_be_connected_as_a_brands(api, brand, meta, settings):
    response = api.put(url(brand), {**BODY, "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID}, format="json")

    assert response.status_code == 400 and "phone_number_id" in response.json()


def test_a_number_connected_to_another_brand_is_refused(api, brand, meta, outsider):
    WhatsAppSenderFactory(brand=BrandFactory(account=outsider), phone_number_id=NUMBER_ID)
    number_lookup(meta)

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 400 and response.json()["code"] == "whatsapp_number_in_use"
    assert not WhatsAppSender.objects.filter(brand=brand).exists()


def test_connecting_again_replaces_the_token_and_keeps_the_number_shown_before(api, brand, meta):
    number_lookup(meta)
    number_lookup(meta)
    api.put(url(brand), BODY, format="json")
    first = WhatsAppSender.objects.get().access_token_encrypted

    api.put(url(brand), {**BODY, "access_token": TOKEN + "NEW"}, format="json")

    sender = WhatsAppSender.objects.get()
    assert sender.access_token_encrypted != first
    assert sender.previous_whatsapp_number == "+31612345678"


def test_delete_returns_the_brand_to_the_platform_number(api, brand, meta):
    number_lookup(meta)
    api.put(url(brand), BODY, format="json")

    response = api.delete(url(brand))

    assert response.status_code == 204
    assert not WhatsAppSender.objects.exists()
    brand.refresh_from_db()
    assert brand.whatsapp_number == "+31612345678"  # the number it showed before
    assert api.get(url(brand)).json()["sends_from"] == "platform"
    assert api.delete(url(brand)).status_code == 204  # nothing left to disconnect: still done


def test_another_accounts_brand_is_a_404_and_meta_is_never_asked(outsider_api, brand, meta):
    WhatsAppSenderFactory(brand=brand)

    assert outsider_api.get(url(brand)).status_code == 404
    assert outsider_api.put(url(brand), BODY, format="json").status_code == 404
    assert outsider_api.delete(url(brand)).status_code == 404
    assert WhatsAppSender.objects.filter(brand=brand).exists() and len(meta.calls) == 0


def test_without_an_encryption_key_in_production_nothing_is_stored(api, brand, settings, meta):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.DEBUG = False

    response = api.put(url(brand), BODY, format="json")

    assert response.status_code == 503 and response.json()["code"] == "encryption_not_configured"
    assert not WhatsAppSender.objects.exists() and len(meta.calls) == 0


def test_the_schema_documents_the_sender_with_a_write_only_token(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    path = schema["paths"]["/api/v1/brands/{brand_pk}/whatsapp-sender/"]
    assert {"get", "put", "delete"} <= set(path)
    assert "access_token" in schema["components"]["schemas"]["WhatsAppSenderInputRequest"]["properties"]
    assert "access_token" not in schema["components"]["schemas"]["WhatsAppSenderOutput"]["properties"]



def test_a_connected_number_gets_the_platform_templates_synced_in_its_business_account():
    from messaging import senders
    from tests.factories.messaging import WhatsAppSenderFactory

    sender = WhatsAppSenderFactory(business_account_id="20999", token="EAAGsecret-token-1234")
    with mock.patch("messaging.services.whatsapp_template_sync.sync_templates") as sync:
        senders.after_connect(sender)

    sync.assert_called_once_with(business_account_id="20999", access_token="EAAGsecret-token-1234")
