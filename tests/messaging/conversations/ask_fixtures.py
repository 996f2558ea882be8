"""Shared by the cash-on-delivery and rating tests: a brand that notifies on every channel in NL,
`move(shipment, status)` (an event recorded as the API does, commits run), `reply(text)` (a
shopper's inbound text, handled), and `sent` (what the bot's questions sent, captured)."""

import itertools
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from messaging.dispatch.inbound import handle_inbound
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from messaging.webhooks import InboundText
from tests.factories import BrandFactory
from tests.factories.billing import seed_default_plans
from tracking.services import event_record

SHOPPER = "+31612345678"
_clock = itertools.count(1)
_wamids = itertools.count(1)


@pytest.fixture
def notifying_brand(account):
    seed_default_plans()
    brand = BrandFactory(account=account, name="Acme", slug="acme-asks")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="test")
    for channel in ("email", "sms", "whatsapp"):
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    return brand


@pytest.fixture
def move(django_capture_on_commit_callbacks):
    def _move(shipment, status):
        at = timezone.now() + timezone.timedelta(microseconds=next(_clock))
        with django_capture_on_commit_callbacks(execute=True):
            event_record(shipment=shipment, status=status, occurred_at=at)

    return _move


def reply(text, *, channel="whatsapp", sender=SHOPPER):
    return handle_inbound(InboundText(sender=sender, text=text, provider_message_id=f"wamid.IN{next(_wamids)}",
                                      at=datetime.now(UTC), phone_number_id="1234567890"),
                          channel=channel, provider="whatsapp_cloud" if channel == "whatsapp" else "twilio")


@pytest.fixture
def sent(monkeypatch):
    """(channel, to, text) of every session text the questions sent."""
    calls = []

    def fake(*, brand, channel, to, text):
        calls.append((channel, to, text))
        return "wamid.OUT"

    monkeypatch.setattr("messaging.conversations.asks.send_session", fake)
    return calls
