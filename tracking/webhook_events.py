"""`shipment.status_changed` for integrations (webhooks_out), written in the ingest's transaction:
a committed status change is never lost to a crash, a rolled-back one is never announced. No
query and no payload is built when nobody listens (webhooks_out.subscriptions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tracking.models import Shipment
from tracking.signals import StatusChange
from webhooks_out.events import listening, publish
from webhooks_out.models import EventType


def status_changes_publish(shipments: Mapping[int, Shipment], changes: Sequence[StatusChange]) -> int:
    if not changes:
        return 0
    wanted = listening(EventType.SHIPMENT_STATUS_CHANGED, {shipments[c.shipment_id].brand_id for c in changes})
    if not wanted:
        return 0
    items = []
    for change in changes:
        shipment = shipments[change.shipment_id]
        if shipment.brand_id not in wanted:
            continue
        items.append((shipment.brand_id, {
            "shipment": {"id": shipment.pk, "brand": shipment.brand_id, "carrier": shipment.carrier,
                         "tracking_number": shipment.tracking_number, "order_number": shipment.order_number},
            "status": change.status, "previous_status": change.previous_status,
            "status_at": shipment.status_at, "event": change.event_id, "source": change.source,
        }))
    return len(publish(EventType.SHIPMENT_STATUS_CHANGED, items))
