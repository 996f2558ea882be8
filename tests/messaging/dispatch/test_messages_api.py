import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import BrandFactory
from tests.factories.billing import ChargeFactory
from tests.factories.messaging import MessageFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db


def test_messages_list_shows_the_contract_fields(api, shipment, move):
    move(shipment, "out_for_delivery")

    body = api.get("/api/v1/messages/").json()

    assert body["count"] == 3
    whatsapp = next(m for m in body["results"] if m["channel"] == "whatsapp")
    assert set(whatsapp) >= {"id", "shipment", "brand", "channel", "trigger_status", "recipient", "subject", "body",
                             "state", "error_code", "error_message", "provider_message_id", "price", "currency",
                             "not_before", "created_at", "sent_at", "delivered_at", "read_at"}
    assert (whatsapp["price"], whatsapp["currency"]) == ("0.14", "EUR")


def test_messages_can_be_filtered(api, account):
    brand = BrandFactory(account=account)
    sms = MessageFactory(shipment=ShipmentFactory(brand=brand), channel="sms", state="failed")
    MessageFactory(shipment=ShipmentFactory(brand=brand), channel="email", state="sent")

    for query in (f"shipment={sms.shipment_id}", "channel=sms", "state=failed", f"brand={brand.pk}&channel=sms"):
        results = api.get(f"/api/v1/messages/?{query}").json()["results"]
        assert [m["id"] for m in results] == [sms.pk], query


def test_scheduled_messages_show_when_they_go_and_can_be_filtered(api, account):
    brand = BrandFactory(account=account)
    slot = timezone.now() + dt.timedelta(seconds=30)
    held = MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="scheduled", not_before=slot)
    MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="queued")

    results = api.get("/api/v1/messages/?state=scheduled").json()["results"]

    assert [(m["id"], m["state"]) for m in results] == [(held.pk, "scheduled")]
    assert dt.datetime.fromisoformat(results[0]["not_before"]) == slot


def test_the_openapi_schema_has_not_before_and_the_scheduled_state(api):
    schema = api.get("/api/schema/?format=json").json()

    schemas = schema["components"]["schemas"]
    not_before = schemas["MessageOutput"]["properties"]["not_before"]
    assert (not_before["format"], not_before["nullable"]) == ("date-time", True)
    assert "scheduled" in schemas["MessageStateEnum"]["enum"]
    state_filter = next(p for p in schema["paths"]["/api/v1/messages/"]["get"]["parameters"] if p["name"] == "state")
    assert "scheduled" in state_filter["schema"]["enum"]


def test_a_bad_filter_is_a_400_naming_it(api):
    response = api.get("/api/v1/messages/?state=lost")
    assert response.status_code == 400 and "state" in response.json()


def test_messages_of_another_account_are_not_listed(api, outsider):
    MessageFactory(shipment=ShipmentFactory(brand=BrandFactory(account=outsider)))
    assert api.get("/api/v1/messages/").json()["count"] == 0


def test_listing_messages_costs_the_same_queries_for_many_rows(api, account, django_assert_max_num_queries):
    brand = BrandFactory(account=account)
    for _ in range(25):
        MessageFactory(shipment=ShipmentFactory(brand=brand))
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/messages/").status_code == 200


def test_usage_counts_accepted_messages_and_their_amount(api, account):
    brand = BrandFactory(account=account)
    now = timezone.now()
    for state in ("sent", "delivered", "read"):
        message = MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state=state, sent_at=now,
                                 price=Decimal("0.16"), currency="EUR")
        ChargeFactory(account=account, brand=brand, message=message, unit_price=Decimal("0.16"), created_at=now)
    MessageFactory(shipment=ShipmentFactory(brand=brand), channel="sms", state="delivered", sent_at=now)
    MessageFactory(shipment=ShipmentFactory(brand=brand), channel="sms", state="failed", sent_at=now)
    earlier = MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="sent",
                             sent_at=now - dt.timedelta(days=40), price=Decimal("0.16"))
    ChargeFactory(account=account, brand=brand, message=earlier, unit_price=Decimal("0.16"), created_at=earlier.sent_at)

    body = api.get("/api/v1/usage/").json()

    assert body["period"] == now.strftime("%Y-%m")
    assert (body["messages"], body["amount"], body["currency"]) == (4, "0.48", "EUR")
    assert body["by_channel"]["whatsapp"] == {"messages": 3, "delivered": 2, "read": 1, "amount": "0.48"}
    assert body["by_channel"]["sms"]["messages"] == 1


@pytest.mark.parametrize("period", ["2026-13", "2026", "26-01", "abcd-ef"])
def test_a_malformed_period_is_a_400_naming_it(api, period):
    response = api.get(f"/api/v1/usage/?period={period}")
    assert response.status_code == 400 and "period" in response.json()


def test_the_shipment_detail_lists_its_messages(api, shipment, move):
    move(shipment, "delivered")

    body = api.get(f"/api/v1/shipments/{shipment.pk}/").json()

    assert sorted(m["channel"] for m in body["messages"]) == ["email", "sms", "whatsapp"]
    assert all(m["trigger_status"] == "delivered" for m in body["messages"])
