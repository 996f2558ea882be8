"""Brands with fallback on send WhatsApp with a short-lived variant of the template, whose time to
live ends before their fallback goes: Meta stops trying first, so a phone that comes online later
never shows the WhatsApp message next to the SMS that replaced it."""

import json

import pytest

from messaging.models import SendingPolicy
from tests.factories.messaging import WhatsAppTemplateFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import REACHED, WABA, of, policy

pytestmark = pytest.mark.django_db


def approved(*names, language="en"):
    for name in names:
        WhatsAppTemplateFactory(business_account_id=WABA, name=name, language=language, status="APPROVED",
                                category="UTILITY")


def sent_template(rsps) -> str:
    return json.loads(rsps.calls[-1].request.body)["template"]["name"]


@pytest.mark.parametrize(("after", "variant"), [(30, "pc_out_for_delivery_v3_ttl30"),
                                                (10, "pc_out_for_delivery_v3_ttl5"),
                                                (1440, "pc_out_for_delivery_v3_ttl120")])
def test_a_fallback_brand_sends_the_variant_that_expires_before_its_fallback_goes(
    brand, shipment, move, gated, after, variant
):
    policy(brand, after=after)
    approved("pc_out_for_delivery_v3", variant)

    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")
    assert whatsapp.whatsapp_template == variant and whatsapp.state in REACHED
    assert sent_template(gated) == variant


def test_a_brand_without_fallback_sends_the_plain_template(brand, shipment, move, gated):
    policy(brand, enabled=False)
    approved("pc_out_for_delivery_v3", "pc_out_for_delivery_v3_ttl30")

    move(shipment, "out_for_delivery")

    assert of(shipment, "whatsapp").whatsapp_template == sent_template(gated) == "pc_out_for_delivery_v3"


def test_whatsapp_last_in_the_order_has_nothing_to_fall_back_to_and_sends_the_plain_template(
    brand, shipment, move, gated
):
    # A policy saved before the API refused WhatsApp last (policy_rules/document.py) still loads.
    policy(brand, order=("whatsapp", "sms"))
    SendingPolicy.objects.filter(brand=brand).update(fallback_order=["sms", "whatsapp"])
    approved("pc_out_for_delivery_v3", "pc_out_for_delivery_v3_ttl30")

    move(shipment, "out_for_delivery")

    assert of(shipment, "whatsapp").whatsapp_template == "pc_out_for_delivery_v3"


def test_an_order_without_whatsapp_falls_back_from_it_and_sends_the_short_lived_variant(
    brand, shipment, move, gated
):
    policy(brand, order=("sms", "email"))  # the channels to use instead of WhatsApp
    approved("pc_out_for_delivery_v3", "pc_out_for_delivery_v3_ttl30")

    move(shipment, "out_for_delivery")

    assert of(shipment, "whatsapp").whatsapp_template == "pc_out_for_delivery_v3_ttl30"


def test_while_the_variant_is_not_approved_the_plain_template_goes(brand, shipment, move, gated):
    approved("pc_out_for_delivery_v3")  # the variant is not registered yet

    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")
    assert whatsapp.whatsapp_template == sent_template(gated) == "pc_out_for_delivery_v3"
    assert whatsapp.state in REACHED and of(shipment, "sms") is None


def test_a_fallback_brand_sends_the_delivery_without_the_photo_header(brand, move, gated):
    shipment = ShipmentFactory(brand=brand, recipient_phone="+31612345678",
                               proof_of_delivery_url="https://carrier.example/pod/1.jpg")
    approved("pc_delivered_v3", "pc_delivered_v3_ttl30", "pc_delivered_photo_v1")

    move(shipment, "delivered")

    whatsapp = of(shipment, "whatsapp")
    assert (whatsapp.whatsapp_template, whatsapp.whatsapp_header_image) == ("pc_delivered_v3_ttl30", "")
    assert "header" not in json.dumps(json.loads(gated.calls[-1].request.body)["template"].get("components", []))
