"""A brand that notifies on every channel in NL (growth plan, WhatsApp consent given), and
`move(shipment, status)` to record a tracking event the way the API does."""

import itertools

import pytest
from django.utils import timezone

from messaging.models import Message
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory
from tests.factories.billing import seed_default_plans
from tests.factories.messaging import MessageFactory
from tests.factories.tracking import ShipmentFactory
from tracking.services import event_record

_clock = itertools.count(1)


@pytest.fixture
def notifying_brand(account, django_capture_on_commit_callbacks):
    seed_default_plans()
    brand = BrandFactory(account=account, name="Acme", slug="acme-notify")
    whatsapp_consent_give(account=account, accept_pricing=True, accept_phone_data_use=True, given_by_label="test")
    for channel in ("email", "sms", "whatsapp"):
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    return brand


@pytest.fixture
def shipment(notifying_brand):
    return ShipmentFactory(brand=notifying_brand, recipient_phone="+31612345678", recipient_email="sanne@example.com")


@pytest.fixture
def move(django_capture_on_commit_callbacks):
    """Record an event for `status` (newer than any before) and run what commits trigger."""

    def _move(shipment, status, *, at=None):
        at = at or timezone.now() + timezone.timedelta(microseconds=next(_clock))
        with django_capture_on_commit_callbacks(execute=True):
            event, created = event_record(shipment=shipment, status=status, occurred_at=at)
        return event

    return _move


@pytest.fixture
def queued_whatsapp(notifying_brand):
    """make(count): that many queued WhatsApp messages, each about its own parcel, ready to send."""
    def make(count: int) -> list[Message]:
        shipments = [ShipmentFactory(brand=notifying_brand, status="out_for_delivery", recipient_phone=f"+3161234{n:04d}")
                     for n in range(count)]
        return [MessageFactory(shipment=s, brand=notifying_brand, channel="whatsapp", trigger_status="out_for_delivery",
                               recipient=s.recipient_phone, whatsapp_template="out_for_delivery") for s in shipments]
    return make


@pytest.fixture
def clock():
    """A frozen clock the test moves (`clock.now = ...`): everything that asks django's
    `timezone.now()` (events, planning, the release of held messages) sees it."""
    from unittest import mock

    class Clock:
        now = timezone.now()

    frozen = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: frozen.now):
        yield frozen
