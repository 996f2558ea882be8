"""Factories of shopper requests and delivery ratings (messaging), with their tenant builders."""

from datetime import timedelta

import factory
from django.utils import timezone

from messaging.models import AskKind, AskStep, DeliveryRating, ShopperAsk, ShopperRequest, ShopperRequestKind, ShopperRequestState
from tests.factories.brands import BrandFactory
from tests.factories.registry import register

__all__ = ("DeliveryRatingFactory", "ShopperAskFactory", "ShopperRequestFactory")


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


class ShopperAskFactory(factory.django.DjangoModelFactory):
    """A cash-on-delivery question, asked a moment ago, its reminder due in 24 hours."""

    class Meta:
        model = ShopperAsk

    shipment = factory.SubFactory("tests.factories.tracking.ShipmentFactory", cash_on_delivery_amount="24.95")
    brand = factory.SelfAttribute("shipment.brand")
    kind = AskKind.COD
    recipient = factory.SelfAttribute("shipment.recipient_phone")
    step = AskStep.REMIND
    asked_at = factory.LazyFunction(lambda: timezone.now())
    due_at = factory.LazyAttribute(lambda o: o.asked_at + timedelta(hours=24))
    expires_at = factory.LazyAttribute(lambda o: o.asked_at + timedelta(hours=72))


register(ShopperRequest)(lambda account: ShopperRequestFactory(shipment__brand=BrandFactory(account=account)))
register(DeliveryRating)(lambda account: DeliveryRatingFactory(shipment__brand=BrandFactory(account=account)))
register(ShopperAsk)(lambda account: ShopperAskFactory(shipment__brand=BrandFactory(account=account)))
