"""Reads of tracking. Tenant reads take the account; the public page reads by unguessable token
or by brand slug + order number + postal code, and never says which part did not match."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Prefetch, QuerySet

from brands.models import Account, Brand
from tracking.models import Shipment, TrackingEvent, normalise_tracking_number

SHIPMENT_FILTERS = ("brand", "status", "carrier", "tracking_number", "order_number")


def shipment_list(*, account: Account, filters: Mapping[str, object] | None = None) -> QuerySet[Shipment]:
    """The account's shipments, newest first, filtered by any of SHIPMENT_FILTERS."""
    queryset = Shipment.objects.for_account(account).select_related("brand")
    filters = {k: v for k, v in (filters or {}).items() if k in SHIPMENT_FILTERS and v not in (None, "")}
    if "brand" in filters:
        queryset = queryset.filter(brand_id=filters["brand"])
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "carrier" in filters:
        queryset = queryset.filter(carrier=str(filters["carrier"]).strip().lower())
    if "tracking_number" in filters:
        queryset = queryset.filter(tracking_number=normalise_tracking_number(str(filters["tracking_number"])))
    if "order_number" in filters:
        queryset = queryset.filter(order_number=str(filters["order_number"]).strip())
    return queryset


def shipment_detail_queryset(*, account: Account) -> QuerySet[Shipment]:
    """The account's shipments with their brand and events (newest first) loaded."""
    return (
        Shipment.objects.for_account(account)
        .select_related("brand")
        .prefetch_related(Prefetch("events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-id")))
    )


def shipment_timeline(*, shipment: Shipment) -> list[TrackingEvent]:
    return list(shipment.events.order_by("-occurred_at", "-id"))


# --- public pages (no account acts: the token or the order details are the key) ---------------


def shipment_for_token(*, token: str) -> Shipment | None:
    return Shipment.objects.select_related("brand").filter(tracking_token=token).first()


def brand_for_slug(*, slug: str) -> Brand | None:
    return Brand.objects.filter(slug=slug).first()


def _postal(value: str) -> str:
    return "".join((value or "").split()).upper()


def shipment_for_order(*, brand: Brand, order_number: str, postal_code: str) -> Shipment | None:
    """The brand's newest shipment with this order number and postal code (both must match;
    postal codes compare without spaces or case: "1012 ab" is "1012AB")."""
    order_number, postal = (order_number or "").strip(), _postal(postal_code)
    if not order_number or not postal:
        return None
    candidates = Shipment.objects.filter(brand=brand, order_number=order_number).order_by("-created_at", "-id")
    for shipment in candidates[:50]:
        if _postal(shipment.to_postal_code) == postal:
            return shipment
    return None
