"""tracking's part of deleting a brand (brands/brand_deletion.py): its shipments stop polling.

The rows stay, hidden from the account (brands.scoping) and from the public pages
(tracking.selectors): their events are history, and the shopper data in them goes when the
retention job's time comes (messaging.retention counts it from the deletion).
"""

from __future__ import annotations

from tracking.models import Shipment
from tracking.statuses import TERMINAL


def _shipments(brand):
    # Through the account's scoping, the brand's deletion included (it may be marked already).
    return Shipment.objects.for_account(brand.account, include_deleted_brands=True).filter(brand_id=brand.pk)


def _in_transit(brand):
    # Still followed: not at a terminal status.
    return _shipments(brand).exclude(status__in=list(TERMINAL))


def shipments_in_transit(brand, *, now) -> dict[str, int]:
    return {"shipments_in_transit": _in_transit(brand).count()}


def stop_polling(brand, *, now, actor) -> dict[str, int]:
    """No carrier is asked about them again. A poll in flight finds next_poll_at null when it
    comes back and leaves it so (tracking.polling locks only rows that are still scheduled)."""
    stopped = _shipments(brand).filter(next_poll_at__isnull=False).update(next_poll_at=None)
    return {"shipments_in_transit": _in_transit(brand).count(), "polling_stopped": stopped}
