from datetime import datetime, timezone

import pytest

from tests.factories import ShipmentFactory
from tracking.carriers import registry
from tracking.signals import shipment_status_changed

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def shipment(brand):
    return ShipmentFactory(brand=brand, carrier="manual", tracking_number="ACME0001")


@pytest.fixture
def announced():
    """Every shipment_status_changed sent during the test, as a list of kwargs dicts."""
    seen = []

    def receiver(sender, **kwargs):
        kwargs.pop("signal", None)
        seen.append(kwargs)

    shipment_status_changed.connect(receiver, dispatch_uid="tests-announced")
    yield seen
    shipment_status_changed.disconnect(dispatch_uid="tests-announced")


@pytest.fixture
def fresh_adapters():
    """Adapters are built once per process from settings: rebuild them around a test that changes those."""
    registry.reset()
    yield
    registry.reset()
