"""Helpers of the invoice tests: charges made in bulk in a past month, and the VAT rates."""

import datetime as dt
from decimal import Decimal

from billing.models import Charge
from billing.periods import Period
from tests.factories.billing import plans, vat_rates  # noqa: F401 - fixtures for this folder

MARCH = Period.parse("2026-03")
APRIL_1ST = dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC)  # when the job runs for March


def add_charges(account, brand, count: int, unit_price: str | Decimal = "0.14", *, channel: str = "whatsapp",
                at: dt.datetime | None = None) -> list[Charge]:
    """`count` charges of `brand`, all at `at` (default: mid-March 2026)."""
    at = at or dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)
    return Charge.objects.bulk_create(
        Charge(account=account, brand=brand, channel=channel, unit_price=Decimal(unit_price), currency="EUR",
               created_at=at)
        for _ in range(count)
    )


def accept_whatsapp(brand, prices, *, at: dt.datetime | None = None) -> list:
    """WhatsApp messages of `brand` that the provider accepted at `at` (default now), announced to
    billing in one wave as dispatch does: each becomes a charge and adds to the running spend.
    What the wave enqueues on commit (alert e-mails) runs before this returns."""
    from django.db import transaction
    from django.test import TestCase
    from django.utils import timezone

    from messaging.models import Message
    from messaging.signals import messages_accepted
    from tests.factories import MessageFactory, ShipmentFactory

    at = at or timezone.now()
    messages = [
        MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="sent", provider="sandbox",
                       price=Decimal(price), currency="EUR", sent_at=at)
        for price in prices
    ]
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        messages_accepted.send(sender=Message, messages=messages)
    return messages
