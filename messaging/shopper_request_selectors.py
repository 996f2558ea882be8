"""Reads of shopper requests and delivery ratings, always through the account."""

from __future__ import annotations

from django.db.models import Avg, Count, QuerySet

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


def ratings_by_brand_and_carrier(*, account: Account) -> list[dict]:
    """Average score and count per (brand, carrier), best covered first: one aggregate query."""
    rows = (DeliveryRating.objects.for_account(account).values("brand_id", "brand__name", "carrier")
            .annotate(average=Avg("score"), count=Count("id")).order_by("-count", "brand__name", "carrier"))
    return [{**row, "average": round(float(row["average"]), 1)} for row in rows]
