"""Factories of the tracking app. Register a tenant builder for every model reachable by an API URL."""

import factory
from django.utils import timezone

from tests.factories.brands import BrandFactory
from tests.factories.registry import register
from tracking.models import Shipment, Source, StatusEntry, TrackingEvent
from tracking.statuses import Status

__all__ = ("ShipmentFactory", "StatusEntryFactory", "TrackingEventFactory")


class ShipmentFactory(factory.django.DjangoModelFactory):
    """A sandbox shipment to the Netherlands, not scheduled for polling unless told."""

    class Meta:
        model = Shipment

    brand = factory.SubFactory(BrandFactory)
    carrier = "sandbox"
    tracking_number = factory.Sequence(lambda n: f"PC{n:08d}NL")
    order_number = factory.Sequence(lambda n: f"ORD-{10000 + n}")
    recipient_name = "Sanne de Vries"
    recipient_phone = "+31612345678"
    recipient_email = "sanne@example.com"
    language = "en"
    to_country = "NL"
    to_postal_code = "1012 AB"


class TrackingEventFactory(factory.django.DjangoModelFactory):
    """A stored event. It does not move the shipment's status: use tracking.services for that."""

    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    status = Status.IN_TRANSIT
    raw_code = factory.SelfAttribute("status")
    description = "Parcel picked up by the courier"
    occurred_at = factory.LazyFunction(timezone.now)
    location = "Venlo distribution centre, NL"
    external_id = factory.Sequence(lambda n: f"evt-{n}")
    source = Source.API


class StatusEntryFactory(factory.django.DjangoModelFactory):
    """An unplanned entry of its shipment into `status`, with the event that moved it. Like the
    event factory, it does not move the shipment: give the shipment its status yourself."""

    class Meta:
        model = StatusEntry

    shipment = factory.SubFactory(ShipmentFactory)
    status = Status.OUT_FOR_DELIVERY
    event = factory.SubFactory(
        TrackingEventFactory, shipment=factory.SelfAttribute("..shipment"), status=factory.SelfAttribute("..status")
    )


register(Shipment)(lambda account: ShipmentFactory(brand=BrandFactory(account=account)))
register(TrackingEvent)(lambda account: TrackingEventFactory(shipment__brand=BrandFactory(account=account)))
