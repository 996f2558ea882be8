"""What the fallback tests share: a brand with WhatsApp on and fallback on, the real WhatsApp
provider against a replayed Graph API (SMS and e-mail through the sandbox), receipts and sweeps
that run what they enqueue."""

import json

import pytest
import responses
from django.utils import timezone

from messaging import whatsapp_gate
from messaging.dispatch import fallback
from messaging.dispatch.receipts import apply_receipt
from messaging.models import Message, MessageState
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from messaging.services.sending_policy import sending_policy_replace
from messaging.webhooks import StatusUpdate
from tests.factories import BrandFactory
from tests.factories.billing import seed_default_plans
from tests.factories.tracking import ShipmentFactory

GRAPH = "https://graph.facebook.com/v23.0/1000/messages"
WABA = "waba-platform"
REACHED = (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)


@pytest.fixture
def whatsapp_cloud(settings):
    """The real WhatsApp provider against a replayed Graph API; SMS and e-mail: the sandbox."""
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "token", "1000"
    settings.WHATSAPP_API_BASE_URL = "https://graph.facebook.com/v23.0"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def meta_accepts(rsps):
    def answer(request):
        our_id = json.loads(request.body)["biz_opaque_callback_data"]
        return 200, {}, json.dumps({"messaging_product": "whatsapp", "messages": [{"id": f"wamid.{our_id}"}]})
    rsps.add_callback(responses.POST, GRAPH, callback=answer, content_type="application/json")


@pytest.fixture
def gated(settings, whatsapp_cloud):
    """The platform business account configured; Meta takes every send."""
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA
    whatsapp_gate.forget(WABA)
    meta_accepts(whatsapp_cloud)
    yield whatsapp_cloud
    whatsapp_gate.forget(WABA)


@pytest.fixture
def accepted(move, whatsapp_cloud):
    """accepted(shipment, status): the WhatsApp message of that status entry, taken by Meta."""
    meta_accepts(whatsapp_cloud)

    def send(shipment, status="out_for_delivery") -> Message:
        move(shipment, status)
        return of(shipment, "whatsapp")

    return send


def meta_refuses(rsps, code=131026):
    rsps.post(GRAPH, status=400,
              json={"error": {"code": code, "message": "Message undeliverable", "type": "OAuthException"}})


def policy(brand, *, enabled=True, order=("whatsapp", "sms", "email"), after=30):
    sending_policy_replace(brand=brand, document={"fallback": {"enabled": enabled, "order": list(order),
                                                                "after_minutes": after}})


@pytest.fixture
def brand(account):
    """WhatsApp switched on in NL; SMS and e-mail not switched on at all; fallback on."""
    seed_default_plans()
    brand = BrandFactory(account=account, name="Acme", slug="acme-fallback")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="test")
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}})
    policy(brand)
    return brand


@pytest.fixture
def shipment(brand):
    return ShipmentFactory(brand=brand, recipient_phone="+31612345678", recipient_email="sanne@example.com")


def of(shipment, channel):
    return Message.objects.filter(shipment=shipment, channel=channel).first()


def reaching(shipment):
    """(status, occurrence, channel) of the messages that went or may still go to the shopper."""
    return sorted(Message.objects.filter(shipment=shipment).exclude(
        state__in=(MessageState.EXPIRED, MessageState.FAILED, MessageState.SUPPRESSED))
        .values_list("trigger_status", "occurrence", "channel"))


def webhook(message, state, *, code="", at=None, run=None):
    update = StatusUpdate(provider_message_id=message.provider_message_id or "", state=state,
                          at=at or timezone.now(), recipient=message.recipient, callback_data=str(message.pk),
                          error_code=code, error_title="Message undeliverable" if code else "")
    with run(execute=True):
        return apply_receipt(update, channel=message.channel, provider="whatsapp_cloud")


def sweep(at, run):
    with run(execute=True):
        return fallback.expire_undelivered(now=at)
