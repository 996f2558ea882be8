"""Factories of outbound webhooks: endpoints, deliveries and their attempts."""

import factory
from django.utils import timezone

from tests.factories.brands import AccountFactory
from tests.factories.registry import register
from webhooks_out.events import event_body
from webhooks_out.models import EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = ("WebhookAttemptFactory", "WebhookDeliveryFactory", "WebhookEndpointFactory")


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    account = factory.SubFactory(AccountFactory)
    url = factory.Sequence(lambda n: f"https://hooks{n}.example.com/parcelcast")
    events = factory.LazyFunction(lambda: list(EventType.values))
    secret = factory.Sequence(lambda n: f"whsec_test_secret_{n:04d}")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event_type = EventType.SHIPMENT_STATUS_CHANGED
    created_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.SelfAttribute("created_at")
    body = factory.LazyAttribute(lambda o: event_body(o.event_id, o.event_type, o.created_at, {"status": "delivered"}))
    event_id = factory.Faker("uuid4", cast_to=None)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    status_code = 200
    duration_ms = 42


register(WebhookEndpoint)(lambda account: WebhookEndpointFactory(account=account))
