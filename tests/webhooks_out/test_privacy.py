"""Shopper requests, ratings and webhook endpoints in the retention purge and the account's
export and deletion."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import DeliveryRating, ShopperRequest
from messaging.retention import purge_recipients
from tests.factories import (
    BrandFactory,
    DeliveryRatingFactory,
    ShipmentFactory,
    ShopperRequestFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from webhooks_out.models import WebhookDelivery, WebhookEndpoint
from webhooks_out.tasks import purge_deliveries

pytestmark = pytest.mark.django_db


def test_the_purge_erases_what_the_shopper_asked_and_wrote(brand):
    now = timezone.now()
    old = ShipmentFactory(brand=brand, status="delivered", status_at=now - timedelta(days=91))
    recent = ShipmentFactory(brand=brand, status="delivered", status_at=now - timedelta(days=5))
    for shipment in (old, recent):
        ShopperRequestFactory(shipment=shipment, kind="address_change", details={"address": "Damrak 1"})
        DeliveryRatingFactory(shipment=shipment, score=3, comment="Left it at Sanne's neighbour")

    result = purge_recipients(now=now)

    assert (result.requests, result.ratings) == (1, 1)
    assert ShopperRequest.objects.get(shipment=old).details == {}
    assert DeliveryRating.objects.get(shipment=old).comment == "" and DeliveryRating.objects.get(shipment=old).score == 3
    assert ShopperRequest.objects.get(shipment=recent).details == {"address": "Damrak 1"}


def test_the_export_holds_requests_ratings_and_endpoints_without_secrets(api, account):
    shipment = ShipmentFactory(brand=BrandFactory(account=account))
    ShopperRequestFactory(shipment=shipment)
    DeliveryRatingFactory(shipment=shipment, comment="Fine")
    WebhookEndpointFactory(account=account, url="https://erp.example.com/h", secret="whsec_do_not_export")

    response = api.get("/api/v1/account/export/")
    data = json.loads(b"".join(response.streaming_content))

    assert data["shopper_requests"][0]["details"] == {"date": "2026-12-04"}
    assert data["delivery_ratings"][0]["comment"] == "Fine"
    assert data["webhook_endpoints"][0]["url"] == "https://erp.example.com/h"
    assert "whsec_do_not_export" not in json.dumps(data)


def test_deleting_the_account_erases_them(api, account):
    shipment = ShipmentFactory(brand=BrandFactory(account=account))
    ShopperRequestFactory(shipment=shipment)
    DeliveryRatingFactory(shipment=shipment)
    WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account))

    assert api.delete("/api/v1/account/", {"confirm": account.company_name}, format="json").status_code == 204

    assert not ShopperRequest.objects.exists() and not DeliveryRating.objects.exists()
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_delivery_log_is_kept_thirty_days(account):
    endpoint = WebhookEndpointFactory(account=account)
    old = WebhookDeliveryFactory(endpoint=endpoint, created_at=timezone.now() - timedelta(days=31), state="succeeded")
    kept = WebhookDeliveryFactory(endpoint=endpoint, state="succeeded")

    assert purge_deliveries() == 1

    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk
