"""The periodic work, in code. Each entry names a task by its dotted path (no imports of apps here)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Entries are added by the issues that own the tasks, e.g.
    # "poll-due-shipments": {"task": "tracking.tasks.poll_due_shipments", "schedule": 60.0},
    # "monthly-invoicing": {"task": "billing.tasks.invoice_previous_month", "schedule": crontab(0, 3, day_of_month=1)},
}

__all__ = ("BEAT_SCHEDULE", "crontab")
