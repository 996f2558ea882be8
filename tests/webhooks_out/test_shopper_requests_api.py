"""Shopper requests and delivery ratings through the API, filtered, scoped to the account."""

import pytest

from tests.factories import BrandFactory, DeliveryRatingFactory, ShipmentFactory, ShopperRequestFactory

pytestmark = pytest.mark.django_db


def test_requests_are_listed_newest_first_and_filtered(api, account, outsider):
    brand, other_brand = BrandFactory(account=account), BrandFactory(account=account)
    reschedule = ShopperRequestFactory(shipment__brand=brand, kind="reschedule")
    cod = ShopperRequestFactory(shipment__brand=other_brand, kind="cod_confirmed", details={})
    ShopperRequestFactory(shipment__brand=BrandFactory(account=outsider))

    everything = api.get("/api/v1/shopper-requests/").json()["results"]
    by_brand = api.get(f"/api/v1/shopper-requests/?brand={brand.pk}").json()["results"]
    by_kind = api.get("/api/v1/shopper-requests/?kind=cod_confirmed&state=open").json()["results"]

    assert [r["id"] for r in everything] == [cod.pk, reschedule.pk]
    assert [r["id"] for r in by_brand] == [reschedule.pk]
    assert [r["id"] for r in by_kind] == [cod.pk]
    assert everything[1]["details"] == {"date": "2026-12-04"}
    assert everything[1]["shipment"]["tracking_number"] == reschedule.shipment.tracking_number
    bad = api.get("/api/v1/shopper-requests/?kind=refund")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_a_request_is_marked_done(api, account):
    request = ShopperRequestFactory(shipment__brand=BrandFactory(account=account))

    response = api.patch(f"/api/v1/shopper-requests/{request.pk}/", {"state": "done"}, format="json")

    assert response.status_code == 200 and response.json()["state"] == "done"
    request.refresh_from_db()
    assert request.state == "done" and request.done_at is not None and request.done_by_label.startswith("API key")
    bad = api.patch(f"/api/v1/shopper-requests/{request.pk}/", {"state": "closed"}, format="json")
    assert bad.status_code == 400 and "state" in bad.json()


def test_another_accounts_request_cannot_be_marked_done(outsider_api, account):
    request = ShopperRequestFactory(shipment__brand=BrandFactory(account=account))

    response = outsider_api.patch(f"/api/v1/shopper-requests/{request.pk}/", {"state": "done"}, format="json")

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.state == "open"


def test_feedback_is_listed_per_brand_and_carrier(api, account, outsider):
    brand = BrandFactory(account=account)
    dhl = DeliveryRatingFactory(shipment=ShipmentFactory(brand=brand, carrier="dhl"), score=2, comment="Late")
    sandbox = DeliveryRatingFactory(shipment=ShipmentFactory(brand=brand, carrier="sandbox"), score=5)
    DeliveryRatingFactory(shipment__brand=BrandFactory(account=outsider))

    everything = api.get(f"/api/v1/feedback/?brand={brand.pk}").json()["results"]
    only_dhl = api.get("/api/v1/feedback/?carrier=dhl").json()["results"]

    assert [r["id"] for r in everything] == [sandbox.pk, dhl.pk]
    assert [(r["score"], r["comment"], r["carrier"]) for r in only_dhl] == [(2, "Late", "dhl")]
