"""The delivery photo in the messages: WhatsApp's image-header template variant, the e-mail's <img>."""

import json

import pytest
import responses

from messaging.models import Message
from messaging.providers.base import OutboundMessage, WhatsAppTemplateCall
from messaging.providers.whatsapp import WhatsAppCloudProvider, build_payload
from messaging.whatsapp_templates import DELIVERED_PHOTO_TEMPLATE, whatsapp_template_name
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

PHOTO = "https://pod.carrier.example/p/1.jpg?sig=a&b=c"
GRAPH = "https://graph.facebook.com/v23.0"


def deliver(shipment, django_capture_on_commit_callbacks, **extra):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=timezone.now(), external_id="d", **extra)


def test_the_template_name_is_chosen_in_one_place_photo_variant_only_for_delivered():
    assert whatsapp_template_name("delivered", has_photo=True) == DELIVERED_PHOTO_TEMPLATE == "pc_delivered_photo_v1"
    assert whatsapp_template_name("delivered", has_photo=False) == "pc_delivered_v3"
    assert whatsapp_template_name("in_transit", has_photo=True) == "pc_in_transit_v3"


def test_the_payload_of_a_template_with_an_image_header_puts_the_header_first():
    message = OutboundMessage(
        message_id=7, channel="whatsapp", to="+31612345678", body="",
        whatsapp=WhatsAppTemplateCall(DELIVERED_PHOTO_TEMPLATE, "en", ("Sanne", "A-1", "Acme", "https://t/x"),
                                      url_button="tok", header_image=PHOTO),
    )

    components = build_payload(message)["template"]["components"]

    assert build_payload(message)["template"]["name"] == "pc_delivered_photo_v1"
    assert components[0] == {"type": "header", "parameters": [{"type": "image", "image": {"link": PHOTO}}]}
    assert [c["type"] for c in components] == ["header", "body", "button"]


def test_a_template_without_a_header_image_sends_no_header():
    message = OutboundMessage(message_id=7, channel="whatsapp", to="+31612345678", body="",
                              whatsapp=WhatsAppTemplateCall("pc_delivered_v3", "en", ("Sanne",)))

    assert [c["type"] for c in build_payload(message)["template"]["components"]] == ["body"]


def test_a_delivery_with_a_photo_plans_the_photo_template_and_the_email_shows_the_picture(
        shipment, django_capture_on_commit_callbacks):
    deliver(shipment, django_capture_on_commit_callbacks, proof_of_delivery_url=PHOTO)

    whatsapp = Message.objects.get(shipment=shipment, channel="whatsapp")
    email = Message.objects.get(shipment=shipment, channel="email")
    sms = Message.objects.get(shipment=shipment, channel="sms")
    assert whatsapp.whatsapp_template == "pc_delivered_photo_v1" and whatsapp.whatsapp_header_image == PHOTO
    assert '<img src="https://pod.carrier.example/p/1.jpg?sig=a&amp;b=c"' in email.html
    assert 'alt="Photo of your parcel where it was delivered"' in email.html
    assert PHOTO not in sms.body  # an SMS has no picture


def test_a_delivery_without_a_photo_keeps_the_plain_template_and_no_image(shipment, django_capture_on_commit_callbacks):
    deliver(shipment, django_capture_on_commit_callbacks)

    whatsapp = Message.objects.get(shipment=shipment, channel="whatsapp")
    assert whatsapp.whatsapp_template == "pc_delivered_v3" and whatsapp.whatsapp_header_image == ""
    assert "pod.carrier.example" not in Message.objects.get(shipment=shipment, channel="email").html


def test_the_photo_message_reaches_meta_with_its_header(shipment, django_capture_on_commit_callbacks):
    # given: a delivered message planned with the photo
    deliver(shipment, django_capture_on_commit_callbacks, proof_of_delivery_url=PHOTO)
    message = Message.objects.get(shipment=shipment, channel="whatsapp")
    from messaging.dispatch.sending import outbound

    provider = WhatsAppCloudProvider(access_token="t", phone_number_id="1065", base_url=GRAPH)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.post(f"{GRAPH}/1065/messages", json={"messages": [{"id": "wamid.X"}]})
        # when
        provider.send(outbound(message))
        sent = json.loads(mock.calls[0].request.body)

    # then
    assert sent["template"]["name"] == "pc_delivered_photo_v1"
    assert sent["template"]["components"][0]["parameters"][0]["image"]["link"] == PHOTO
