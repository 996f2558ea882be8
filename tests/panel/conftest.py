"""Panel fixtures: a logged-in member (`panel`, from tests/conftest.py) whose account has a brand,
and `busy_account`: 30 rows of everything, for the query-count checks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from messaging.models import Channel, MessageState
from messaging.services.notifications import channel_document_replace
from tests.factories import (
    ApiKeyFactory,
    BrandFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    MembershipFactory,
    MessageFactory,
    ShipmentFactory,
    TrackingEventFactory,
    WhatsAppConsentFactory,
)
from tests.factories.billing import DailySpendFactory, SpendCapFactory, SpendMonthFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tracking.statuses import ALL_CODES

ROWS = 30


@pytest.fixture(autouse=True)
def _plans(plans):  # noqa: F811 - every panel page reads plans or prices
    return plans


@pytest.fixture
def shipment(brand):
    return ShipmentFactory(brand=brand, tracking_number="ACME0001NL", order_number="ORD-1")


@pytest.fixture
def busy_account(account, brand, member):
    """Brands, shipments, events, messages (sandbox, every channel and state), keys, members,
    toggles: enough rows that a page doing one query per row would show it."""
    brands = [brand, *BrandFactory.create_batch(2, account=account)]
    WhatsAppConsentFactory(account=account)
    for each in brands:
        for channel in Channel.values:
            channel_document_replace(brand=each, channel=channel, enabled=True, countries={"NL": {}, "BE": {}})
    states = list(MessageState.values)
    now = timezone.now()
    for index in range(ROWS):
        shipment = ShipmentFactory(brand=brands[index % 3], status=ALL_CODES[index % len(ALL_CODES)], status_at=now)
        TrackingEventFactory.create_batch(2, shipment=shipment)
        for channel in Channel.values:
            MessageFactory(
                shipment=shipment, channel=channel, state=states[index % len(states)], provider="sandbox",
                recipient="x@example.com" if channel == "email" else "+31612345678",
                subject="Your parcel" if channel == "email" else "", html="<p>Hi</p>" if channel == "email" else "",
                price=Decimal("0.14") if channel == "whatsapp" else None, currency="EUR",
                sent_at=now, error_message="boom" if states[index % len(states)] == "failed" else "",
            )
    for index in range(ROWS):  # issued invoices, one a month, each with a line
        invoice = InvoiceFactory(account=account, issued=True, period=dt.date(2023 + index // 12, index % 12 + 1, 1))
        InvoiceLineFactory(invoice=invoice, brand=brand)
    ApiKeyFactory.create_batch(ROWS, account=account)
    MembershipFactory.create_batch(ROWS, account=account, role="member")
    # A cap near its limit: every page shows the spend banner, the dashboard and Billing the meter.
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    SpendMonthFactory(account=account, month=now.date().replace(day=1), amount=Decimal("45.00"))
    for days_back in range(ROWS):
        DailySpendFactory(account=account, day=now.date() - dt.timedelta(days=days_back), amount=Decimal("1.50"))
    return account


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
