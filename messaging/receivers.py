"""messaging listens to tracking: a committed status change plans its messages in a task."""

from django.dispatch import receiver

from tracking.signals import shipment_status_changed


@receiver(shipment_status_changed, dispatch_uid="messaging.plan_on_status_change")
def plan_on_status_change(sender, *, shipment_id, status, **kwargs):
    from messaging.tasks import plan_messages

    plan_messages.delay([[shipment_id, status]])
