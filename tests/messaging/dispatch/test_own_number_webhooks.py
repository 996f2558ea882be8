"""Webhooks for a brand's own number: one Meta app (the platform's app secret) signs the webhooks
of every number; `metadata.phone_number_id` says which number was written to."""

import hashlib
import hmac
import json

import pytest
import responses

from messaging.models import InboundMessage, Message, MessageState, OptOut
from tests.factories import BrandFactory
from tests.factories.messaging import MessageFactory, WhatsAppSenderFactory
from tests.messaging.dispatch.test_webhook_views import SECRET, inbound_item, signed_post

pytestmark = pytest.mark.django_db
GRAPH = "https://graph.test/v23.0"
OWN_NUMBER, OWN_TOKEN = "106540352242922", "EAAGbrandOwnToken0123456789abcdef"
SHOPPER = "+31612345678"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "platform-token-0123456789", "999000999000"


def envelope(number_id, statuses=(), messages=()):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "31201234567", "phone_number_id": number_id},
             "statuses": list(statuses), "messages": list(messages)}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}


@pytest.fixture
def own_brand(account):
    brand = BrandFactory(account=account, name="Own", slug="own")
    WhatsAppSenderFactory(brand=brand, phone_number_id=OWN_NUMBER, token=OWN_TOKEN)
    return brand


@pytest.fixture
def graph():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def reply_from(graph, number):
    return graph.post(f"{GRAPH}/{number}/messages", json={"messages": [{"id": "wamid.REPLY"}]})


def test_stop_to_a_brands_own_number_opts_out_of_that_brand(client, own_brand, account, graph):
    MessageFactory(brand=own_brand, shipment__brand=own_brand, channel="whatsapp", state=MessageState.SENT,
                   recipient=SHOPPER)
    # another brand wrote to the same shopper later, from the platform's number
    MessageFactory(shipment__brand=BrandFactory(account=account), channel="whatsapp", state=MessageState.SENT,
                   recipient=SHOPPER)
    reply = reply_from(graph, OWN_NUMBER)

    response = signed_post(client, envelope(OWN_NUMBER, messages=[inbound_item("STOP")]))

    assert response.status_code == 200
    assert list(OptOut.objects.values_list("brand_id", flat=True)) == [own_brand.pk]
    # the confirmation goes from the number the shopper wrote to, with that brand's token
    assert reply.call_count == 1
    assert graph.calls[0].request.headers["Authorization"] == f"Bearer {OWN_TOKEN}"


def test_stop_to_a_brands_own_number_counts_even_before_it_sent_anything(client, own_brand, graph):
    reply_from(graph, OWN_NUMBER)

    signed_post(client, envelope(OWN_NUMBER, messages=[inbound_item("stop")]))

    assert OptOut.objects.get().brand == own_brand
    assert InboundMessage.objects.get().brand == own_brand


def test_stop_to_the_platform_number_is_for_the_brand_that_wrote_from_it(client, own_brand, account, graph):
    platform_brand = BrandFactory(account=account, name="Platform", slug="platform")
    MessageFactory(shipment__brand=platform_brand, channel="whatsapp", state=MessageState.SENT, recipient=SHOPPER)
    # the brand with its own number wrote later, but not from the platform's number
    MessageFactory(brand=own_brand, shipment__brand=own_brand, channel="whatsapp", state=MessageState.SENT,
                   recipient=SHOPPER)
    reply = reply_from(graph, "999000999000")

    signed_post(client, envelope("999000999000", messages=[inbound_item("STOP")]))

    assert list(OptOut.objects.values_list("brand_id", flat=True)) == [platform_brand.pk]
    assert reply.call_count == 1


def test_status_updates_of_a_brands_own_number_move_its_messages(client, own_brand):
    message = MessageFactory(brand=own_brand, shipment__brand=own_brand, channel="whatsapp",
                             state=MessageState.SENT, provider_message_id="wamid.OWN1", recipient=SHOPPER)
    status = {"id": "wamid.OWN1", "status": "delivered", "timestamp": "1763629200", "recipient_id": SHOPPER[1:],
              "biz_opaque_callback_data": str(message.pk)}

    assert signed_post(client, envelope(OWN_NUMBER, statuses=[status])).status_code == 200

    assert Message.objects.get(pk=message.pk).state == MessageState.DELIVERED


def test_a_brands_own_number_webhook_signed_with_another_apps_secret_is_refused(client, own_brand):
    body = json.dumps(envelope(OWN_NUMBER, messages=[inbound_item("STOP")])).encode()
    signature = "sha256=" + hmac.new(b"the-merchants-own-app", body, hashlib.sha256).hexdigest()
    response = client.post("/webhooks/whatsapp/", body, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=signature)

    assert response.status_code == 403 and not OptOut.objects.exists()
