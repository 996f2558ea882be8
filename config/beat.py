"""The periodic work, in code. Each entry names a task by its dotted path (no imports of apps here)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Claims the due shipments and fans out one poll per carrier batch; a tick that waited
    # longer than its period is dropped (the next one does the same work).
    "poll-due-shipments": {
        "task": "tracking.tasks.poll_due_shipments",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The outbox sweeper: a queued message whose task was lost (broker restart, killed worker)
    # is sent again once its lease has run out; claims make a duplicate harmless.
    "requeue-stuck-messages": {
        "task": "messaging.tasks.requeue_stuck_messages",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    # Scheduled messages (over the WhatsApp rate) whose slot came and whose own send task was
    # lost: only due rows are read, so a quiet tick costs one index probe.
    "release-scheduled-messages": {
        "task": "messaging.tasks.release_scheduled_messages",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    # The previous month's draft invoices, at 03:00 UTC on the 1st (late provider acceptances
    # of the month's last minutes are in by then). Re-running is harmless: the job is idempotent.
    "monthly-invoicing": {
        "task": "billing.tasks.invoice_previous_month",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    # Shopper details of finished shipments, past each account's retention period (messaging.retention).
    "purge-recipients": {
        "task": "messaging.tasks.purge_recipients",
        "schedule": crontab(minute=30, hour=2),
    },
}

__all__ = ("BEAT_SCHEDULE", "crontab")
