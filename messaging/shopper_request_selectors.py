"""Reads of shopper requests and delivery ratings, always through the account."""

from __future__ import annotations

from django.db.models import QuerySet

from brands.models import Account
from messaging.models import DeliveryRating, ShopperRequest


def shopper_request_list(*, account: Account, brand: int | None = None, kind: str | None = None,
                         state: str | None = None) -> QuerySet[ShopperRequest]:
    rows = ShopperRequest.objects.for_account(account).select_related("shipment")
    if brand is not None:
        rows = rows.filter(brand_id=brand)
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-pk")


def rating_list(*, account: Account, brand: int | None = None, carrier: str | None = None) -> QuerySet[DeliveryRating]:
    rows = DeliveryRating.objects.for_account(account).select_related("shipment")
    if brand is not None:
        rows = rows.filter(brand_id=brand)
    if carrier:
        rows = rows.filter(carrier=carrier)
    return rows.order_by("-created_at", "-pk")
