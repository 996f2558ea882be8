"""What merchants see of a fallback: the `expired` state in the API (filter, schema) with the
replacement pointing back through `fallback_of`, and the panel's "Expired → replaced by SMS"."""

import pytest

from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import meta_refuses, of

pytestmark = pytest.mark.django_db


@pytest.fixture
def replaced(brand, move, whatsapp_cloud):
    """A parcel whose WhatsApp message was refused (131026) and replaced by an SMS."""
    meta_refuses(whatsapp_cloud)
    shipment = ShipmentFactory(brand=brand, recipient_phone="+31612345678", tracking_number="JVGL0FALLBACK")
    move(shipment, "delivered")
    return of(shipment, "whatsapp"), of(shipment, "sms")


def test_the_api_lists_expired_messages_and_links_the_replacement(api, replaced):
    whatsapp, sms = replaced

    expired = api.get("/api/v1/messages/?state=expired").json()["results"]
    replacement = api.get(f"/api/v1/messages/{sms.pk}/").json()

    assert [(m["id"], m["channel"], m["error_code"], m["price"], m["suppressed_reason"]) for m in expired] == [
        (whatsapp.pk, "whatsapp", "131026", None, None)]
    assert (replacement["fallback_of"], replacement["trigger_status"], replacement["occurrence"]) == (
        whatsapp.pk, "delivered", 1)


def test_the_openapi_schema_has_the_expired_state(api):
    schema = api.get("/api/schema/?format=json").json()

    assert "expired" in schema["components"]["schemas"]["MessageStateEnum"]["enum"]
    state_filter = next(p for p in schema["paths"]["/api/v1/messages/"]["get"]["parameters"] if p["name"] == "state")
    assert "expired" in state_filter["schema"]["enum"]


def test_the_panel_shows_what_replaced_an_expired_message_and_what_it_replaces(panel, replaced):
    whatsapp, sms = replaced

    log = panel.get("/app/messages/").content.decode()
    shipment_messages = panel.get(f"/app/shipments/{whatsapp.shipment_id}/messages/").content.decode()

    for page in (log, shipment_messages):
        assert "Expired</span>" in page
        assert "&rarr; replaced by SMS" in page
        assert "instead of WhatsApp" in page
