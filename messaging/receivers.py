"""messaging listens to tracking: committed status changes are planned in tasks, in batches
(a bulk ingest of 1,000 events makes a handful of planning tasks, not 1,000)."""

from django.dispatch import receiver

from tracking.signals import shipment_statuses_changed

PLAN_BATCH = 250


@receiver(shipment_statuses_changed, dispatch_uid="messaging.plan_on_status_changes")
def plan_on_status_changes(sender, *, changes, **kwargs):
    from messaging.tasks import plan_messages

    pairs = [[change.shipment_id, change.status] for change in changes]
    for start in range(0, len(pairs), PLAN_BATCH):
        plan_messages.delay(pairs[start : start + PLAN_BATCH])
