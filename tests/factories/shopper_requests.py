"""Factories of shopper requests and delivery ratings (messaging), with their tenant builders."""

import factory

from messaging.models import DeliveryRating, ShopperRequest, ShopperRequestKind, ShopperRequestState
from tests.factories.brands import BrandFactory
from tests.factories.registry import register

__all__ = ("DeliveryRatingFactory", "ShopperRequestFactory")


class ShopperRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopperRequest

    shipment = factory.SubFactory("tests.factories.tracking.ShipmentFactory")
    brand = factory.SelfAttribute("shipment.brand")
    kind = ShopperRequestKind.RESCHEDULE
    details = factory.LazyFunction(lambda: {"date": "2026-12-04"})
    state = ShopperRequestState.OPEN


class DeliveryRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryRating

    shipment = factory.SubFactory("tests.factories.tracking.ShipmentFactory")
    brand = factory.SelfAttribute("shipment.brand")
    carrier = factory.SelfAttribute("shipment.carrier")
    score = 5
    comment = ""


register(ShopperRequest)(lambda account: ShopperRequestFactory(shipment__brand=BrandFactory(account=account)))
register(DeliveryRating)(lambda account: DeliveryRatingFactory(shipment__brand=BrandFactory(account=account)))
