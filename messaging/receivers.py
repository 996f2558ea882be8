"""messaging listens to tracking: status entries to plan are planned in tasks, in batches
(a bulk ingest of 1,000 events makes a handful of planning tasks, not 1,000). A lost task loses
nothing: the entries stay unplanned in tracking's table until the sweeper plans them."""

from django.dispatch import receiver

from tracking.signals import status_entries_pending

PLAN_BATCH = 250


@receiver(status_entries_pending, dispatch_uid="messaging.plan_status_entries")
def plan_status_entries(sender, *, entry_ids, **kwargs):
    from messaging.tasks import plan_messages

    for start in range(0, len(entry_ids), PLAN_BATCH):
        plan_messages.delay(entry_ids[start : start + PLAN_BATCH])
