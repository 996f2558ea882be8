"""Writes of shopper requests and delivery ratings; each new one is announced to webhooks
(`shopper_request.created`, `feedback.created`) in the transaction that stores it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from brands.models import Account
from messaging.models import DeliveryRating, ShopperRequest, ShopperRequestKind, ShopperRequestState
from messaging.webhook_events import rating_publish, shopper_request_publish
from tracking.models import Shipment

MAX_COMMENT = 1000


def shopper_request_create(*, shipment: Shipment, kind: str, details: dict | None = None) -> ShopperRequest:
    """A shopper's request about `shipment` (found by the conversation, not by a tenant)."""
    if kind not in ShopperRequestKind.values:
        raise ValidationError({"kind": [f"Unknown kind {kind!r}; use {', '.join(ShopperRequestKind.values)}."]})
    if details is not None and not isinstance(details, dict):
        raise ValidationError({"details": ["Give an object."]})
    with transaction.atomic():
        request = ShopperRequest.objects.create(shipment=shipment, brand_id=shipment.brand_id, kind=kind,
                                                details=details or {})
        shopper_request_publish(request)
    return request


def shopper_request_set_state(*, account: Account, request_id: int, state: str, by_label: str = "") -> ShopperRequest:
    """Mark the account's request done (or open again). Another account's: DoesNotExist."""
    if state not in ShopperRequestState.values:
        raise ValidationError({"state": [f"Use one of: {', '.join(ShopperRequestState.values)}."]})
    with transaction.atomic():
        request = (ShopperRequest.objects.for_account(account).select_for_update(of=("self",))
                   .select_related("shipment").get(pk=request_id))
        if request.state != state:
            request.state = state
            request.done_at = timezone.now() if state == ShopperRequestState.DONE else None
            request.done_by_label = by_label[:254] if state == ShopperRequestState.DONE else ""
            request.save(update_fields=["state", "done_at", "done_by_label"])
    return request


def delivery_rating_create(*, shipment: Shipment, score: int, comment: str = "") -> tuple[DeliveryRating, bool]:
    """The shipment's rating (1-5). The first one counts: a second returns it unchanged.
    Returns (rating, created)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": ["Give a whole number from 1 to 5."]})
    existing = DeliveryRating.objects.filter(shipment=shipment).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            rating = DeliveryRating.objects.create(shipment=shipment, brand_id=shipment.brand_id,
                                                   carrier=shipment.carrier, score=score,
                                                   comment=(comment or "").strip()[:MAX_COMMENT])
            rating_publish(rating)
    except IntegrityError:  # the same rating arrived twice at once: the other one counts
        return DeliveryRating.objects.get(shipment=shipment), False
    return rating, True


def delivery_rating_comment(*, rating: DeliveryRating, comment: str) -> DeliveryRating:
    """The shopper's comment after the score (the next text they send)."""
    rating.comment = (comment or "").strip()[:MAX_COMMENT]
    rating.save(update_fields=["comment"])
    return rating
