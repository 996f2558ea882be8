"""Celery tasks of tracking: the per-minute dispatcher and the per-carrier batch poll; the
stuck-parcel check and the lane statistics it judges by."""

from celery import shared_task
from django.utils import timezone

from tracking import lanes, polling, stalls


@shared_task(acks_late=True, ignore_result=True)
def poll_due_shipments() -> int:
    """Beat, every minute: claim the due shipments and fan out one `poll_batch` per carrier batch."""
    return polling.dispatch_due(now=timezone.now(), enqueue=enqueue_poll_batch)


@shared_task(acks_late=True, ignore_result=True)
def poll_batch(carrier: str, shipment_ids: list[int]) -> None:
    """Ids only: the rows are re-read; redelivery is harmless (events are idempotent)."""
    polling.poll_batch(carrier, list(shipment_ids), now=timezone.now())


def enqueue_poll_batch(carrier: str, shipment_ids: list[int]) -> None:
    # A batch that has not started when its claim's lease ends is dropped: by then the
    # shipments are due again and another dispatcher may already have claimed them.
    poll_batch.apply_async((carrier, shipment_ids), expires=polling.lease().total_seconds())


@shared_task(acks_late=True, ignore_result=True)
def check_stalled_shipments() -> int:
    """Beat: the parcels whose stall look is due; a stuck one gets Parcelcast's `delayed` event."""
    return stalls.check_due(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def refresh_lane_stats() -> int:
    """Beat, daily: how long each lane usually goes between scans, learnt again from the events."""
    return lanes.refresh(now=timezone.now())
