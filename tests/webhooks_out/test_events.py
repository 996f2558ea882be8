"""Events become outbox rows in the transaction that records them, only for accounts that listen,
and cost nothing on the hot paths of accounts that do not."""

import json
from datetime import UTC, datetime

import pytest
import responses
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.dispatch.receipts import apply_receipt
from messaging.dispatch.recording import Accepted, finish, record_acceptances
from messaging.models import MessageState
from messaging.providers.base import ProviderResult
from messaging.services.shopper_requests import delivery_rating_create, shopper_request_create
from messaging.webhooks import StatusUpdate
from tests.factories import AccountFactory, BrandFactory, MessageFactory, ShipmentFactory, WebhookEndpointFactory
from tracking.models import Source
from tracking.services import event_record
from tracking.statuses import Status
from webhooks_out.models import EventType, WebhookDelivery
from webhooks_out.subscriptions import listeners

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/in"


def bodies(event_type=None):
    rows = WebhookDelivery.objects.order_by("pk")
    if event_type:
        rows = rows.filter(event_type=event_type)
    return [json.loads(body) for body in rows.values_list("body", flat=True)]


@pytest.fixture
def listening_brand(account):
    WebhookEndpointFactory(account=account, url=URL)
    return BrandFactory(account=account)


def test_a_status_change_rolled_back_with_its_ingest_leaves_no_delivery(listening_brand):
    shipment = ShipmentFactory(brand=listening_brand)

    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=timezone.now())
        assert WebhookDelivery.objects.count() == 1  # written inside the ingest's transaction
        raise RuntimeError("the ingest fails after the status moved")

    assert WebhookDelivery.objects.count() == 0


@responses.activate
def test_a_committed_status_change_is_delivered_once_it_commits(listening_brand, django_capture_on_commit_callbacks):
    shipment = ShipmentFactory(brand=listening_brand, order_number="ORD-1")
    responses.post(URL, status=200)

    with django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.OUT_FOR_DELIVERY, occurred_at=timezone.now())
        assert len(responses.calls) == 0  # nothing leaves before the commit

    sent = json.loads(responses.calls[0].request.body)
    assert sent["type"] == "shipment.status_changed"
    assert sent["data"]["status"] == "out_for_delivery" and sent["data"]["previous_status"] is None
    assert sent["data"]["shipment"]["order_number"] == "ORD-1" and sent["data"]["source"] == "api"
    assert WebhookDelivery.objects.get().state == "succeeded"


@responses.activate
def test_a_delay_parcelcast_raised_for_a_silent_carrier_says_so_in_its_source(
    listening_brand, django_capture_on_commit_callbacks
):
    shipment = ShipmentFactory(brand=listening_brand)
    responses.post(URL, status=200)

    with django_capture_on_commit_callbacks(execute=True):
        event_record(shipment=shipment, status=Status.DELAYED, occurred_at=timezone.now(), source=Source.PARCELCAST)

    sent = json.loads(responses.calls[0].request.body)
    assert (sent["data"]["status"], sent["data"]["source"]) == ("delayed", "parcelcast")


def test_only_subscribed_events_of_the_listening_account_are_written(account, listening_brand):
    WebhookEndpointFactory(account=AccountFactory(), events=[EventType.FEEDBACK_CREATED])
    quiet = BrandFactory(account=AccountFactory())
    only_feedback = BrandFactory(account=AccountFactory())
    WebhookEndpointFactory(account=only_feedback.account, events=[EventType.FEEDBACK_CREATED])

    for brand in (listening_brand, quiet, only_feedback):
        event_record(shipment=ShipmentFactory(brand=brand), status=Status.IN_TRANSIT, occurred_at=timezone.now())

    assert [b["data"]["shipment"]["brand"] for b in bodies()] == [listening_brand.pk]


def test_a_switched_off_or_deleted_endpoint_hears_nothing(account):
    brand = BrandFactory(account=account)
    WebhookEndpointFactory(account=account, active=False)
    WebhookEndpointFactory(account=account, deleted_at=timezone.now())

    event_record(shipment=ShipmentFactory(brand=brand), status=Status.IN_TRANSIT, occurred_at=timezone.now())

    assert WebhookDelivery.objects.count() == 0


def _accepted(messages):
    return [Accepted(message=m, result=ProviderResult(provider_message_id=f"id-{m.pk}", provider="sandbox"))
            for m in messages]


def test_accepted_messages_are_announced_in_one_insert(listening_brand):
    shipment = ShipmentFactory(brand=listening_brand)
    messages = [MessageFactory(shipment=shipment, channel=channel) for channel in ("sms", "email")]

    with CaptureQueriesContext(connection) as queries:
        record_acceptances(_accepted(messages), now=timezone.now())

    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "webhooks_out_webhookdelivery"')]
    assert len(inserts) == 1
    assert sorted((b["data"]["channel"], b["data"]["state"]) for b in bodies()) == [("email", "sent"), ("sms", "sent")]


def _send_path_queries(brand) -> list[str]:
    accepted, failed = (MessageFactory(shipment=ShipmentFactory(brand=brand)) for _ in range(2))
    listeners(EventType.MESSAGE_STATE_CHANGED)  # the map as a running process has it (cached)
    with CaptureQueriesContext(connection) as queries:
        record_acceptances(_accepted([accepted]), now=timezone.now())
        finish([failed], MessageState.FAILED, "x", "failed", now=timezone.now())
    return [q["sql"] for q in queries.captured_queries]


def test_the_send_path_of_an_account_without_endpoints_costs_no_query(account):
    brand = BrandFactory(account=account)
    without_any_endpoint = _send_path_queries(brand)
    WebhookEndpointFactory(account=AccountFactory())  # someone else listens: the map is not empty

    with_endpoints_elsewhere = _send_path_queries(brand)

    assert len(with_endpoints_elsewhere) == len(without_any_endpoint)
    assert not any("webhooks_out" in sql for sql in with_endpoints_elsewhere)
    assert WebhookDelivery.objects.count() == 0


def test_a_final_failure_is_announced_with_its_code(listening_brand):
    message = MessageFactory(shipment=ShipmentFactory(brand=listening_brand))

    finish([message], MessageState.FAILED, "21211", "invalid number", now=timezone.now())

    [body] = bodies()
    assert (body["data"]["message"], body["data"]["state"], body["data"]["error_code"]) == (message.pk, "failed", "21211")


def test_a_delivery_receipt_is_announced_once(listening_brand):
    message = MessageFactory(shipment=ShipmentFactory(brand=listening_brand), state=MessageState.SENT,
                             provider="sandbox", provider_message_id="SM1")
    update = StatusUpdate(provider_message_id="SM1", state=MessageState.DELIVERED,
                          at=datetime.now(UTC), recipient=message.recipient)

    assert apply_receipt(update, channel=message.channel)
    assert not apply_receipt(update, channel=message.channel)  # a duplicate moves nothing

    assert [(b["type"], b["data"]["state"]) for b in bodies()] == [("message.state_changed", "delivered")]


def test_a_shopper_request_and_a_rating_are_announced(listening_brand):
    shipment = ShipmentFactory(brand=listening_brand, carrier="sandbox")

    request = shopper_request_create(shipment=shipment, kind="reschedule", details={"date": "2026-12-04"})
    rating, created = delivery_rating_create(shipment=shipment, score=4, comment="Quick")
    again, created_again = delivery_rating_create(shipment=shipment, score=1)

    assert created and not created_again and again.pk == rating.pk and again.score == 4
    requested, = bodies(EventType.SHOPPER_REQUEST_CREATED)
    assert requested["data"]["id"] == request.pk and requested["data"]["details"] == {"date": "2026-12-04"}
    rated, = bodies(EventType.FEEDBACK_CREATED)
    assert (rated["data"]["score"], rated["data"]["carrier"], rated["data"]["comment"]) == (4, "sandbox", "Quick")
