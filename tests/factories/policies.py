"""Factory of a brand's sending policy (messaging.models.SendingPolicy): the defaults, stored."""

import datetime as dt

import factory

from messaging.models import SendingPolicy
from tests.factories.brands import BrandFactory
from tests.factories.registry import register


class SendingPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SendingPolicy

    brand = factory.SubFactory(BrandFactory)
    quiet_hours_enabled = False
    quiet_hours_start = dt.time(21, 0)
    quiet_hours_end = dt.time(8, 0)
    quiet_hours_except = factory.LazyFunction(lambda: ["out_for_delivery", "delivery_failed", "ready_for_pickup"])
    fallback_enabled = False
    fallback_order = factory.LazyFunction(lambda: ["whatsapp", "sms", "email"])
    fallback_after_minutes = 30
    max_messages_per_shipment = None
    consolidation_seconds = 0
    ready_to_ship = "label_created"


register(SendingPolicy)(lambda account: SendingPolicyFactory(brand=BrandFactory(account=account)))
