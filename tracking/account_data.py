"""tracking's part of an account's export and deletion (registered in TrackingConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from tracking.models import Shipment, TrackingEvent


def shipments_with_events(account) -> Iterator[dict]:
    events = Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "pk"))
    rows = Shipment.objects.for_account(account, include_deleted_brands=True).order_by("pk").prefetch_related(events)
    for shipment in rows.iterator(chunk_size=500):
        yield {
            "id": shipment.pk, "brand": shipment.brand_id, "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number, "order_number": shipment.order_number,
            "recipient_name": shipment.recipient_name, "recipient_phone": shipment.recipient_phone,
            "recipient_email": shipment.recipient_email, "language": shipment.language,
            "to_country": shipment.to_country.code, "to_postal_code": shipment.to_postal_code,
            "expected_delivery": shipment.expected_delivery, "status": shipment.status,
            "status_at": shipment.status_at, "created_at": shipment.created_at,
            "events": [
                {"status": event.status, "occurred_at": event.occurred_at, "location": event.location,
                 "description": event.description, "raw_code": event.raw_code, "source": event.source,
                 "external_id": event.external_id}
                for event in shipment.events.all()
            ],
        }


def erase(account) -> None:
    # Events and messages go with their shipments (cascade); charges keep their rows (message: null).
    Shipment.objects.for_account(account, include_deleted_brands=True).delete()
