"""GET /api/v1/conversations/: the account's threads only, each with its messages in order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BrandFactory, ConversationFactory, InboundMessageFactory, MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db
SHOPPER = "+31612345678"


def thread(brand, *, recipient=SHOPPER):
    parcel = ShipmentFactory(brand=brand, recipient_phone=recipient)
    conversation = ConversationFactory(brand=brand, recipient=recipient, shipment=parcel)
    MessageFactory(shipment=parcel, recipient=recipient, channel="whatsapp", body="Your parcel is on its way")
    InboundMessageFactory(brand=brand, sender=recipient, text="Where is it?", action="unknown")
    return conversation


def test_the_thread_holds_inbound_and_outbound_messages_in_order(api, brand):
    conversation = thread(brand)

    response = api.get("/api/v1/conversations/", {"brand": brand.pk, "recipient": SHOPPER})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == conversation.pk and row["unread"] is True and row["shipment"] == conversation.shipment_id
    assert [(m["direction"], m["text"]) for m in row["messages"]] == [
        ("out", "Your parcel is on its way"), ("in", "Where is it?")]
    assert row["reply_window_closes_at"] is not None


def test_a_recipient_whose_plus_was_not_encoded_is_still_found(api, brand):
    thread(brand)

    response = api.get("/api/v1/conversations/?recipient= 31612345678")

    assert len(response.json()["results"]) == 1


def test_newest_activity_first(api, brand):
    older = ConversationFactory(brand=brand, recipient="+31611111111",
                                last_activity_at=timezone.now() - timedelta(days=2))
    newer = ConversationFactory(brand=brand, recipient="+31622222222")

    ids = [row["id"] for row in api.get("/api/v1/conversations/").json()["results"]]

    assert ids == [newer.pk, older.pk]


def test_another_accounts_conversations_are_invisible_and_404(api, outsider_api, brand):
    conversation = thread(brand)
    thread(BrandFactory(), recipient="+31633333333")  # another account's

    assert outsider_api.get("/api/v1/conversations/").json()["results"] == []
    assert outsider_api.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
    assert [row["id"] for row in api.get("/api/v1/conversations/").json()["results"]] == [conversation.pk]


def test_the_messages_of_a_page_of_threads_take_a_fixed_number_of_queries(api, brand, django_assert_max_num_queries):
    for n in range(5):
        thread(brand, recipient=f"+3161234560{n}")

    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/conversations/")

    assert len(response.json()["results"]) == 5


def test_the_route_is_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert b"/api/v1/conversations/" in schema.content and b"reply_window_closes_at" in schema.content
