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
    # Stuck parcels: only the parcels whose look is due are read (an index), so a frequent tick
    # is cheap; a stall is measured in hours, so a dropped tick costs nothing.
    "check-stalled-shipments": {
        "task": "tracking.tasks.check_stalled_shipments",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # What "much longer than usual" means per lane, learnt from the last weeks' events: a day's
    # events hardly move a 30-day percentile, so once a day, at a quiet hour.
    "refresh-lane-stats": {
        "task": "tracking.tasks.refresh_lane_stats",
        "schedule": crontab(minute=40, hour=1),
    },
    # The planning sweeper: status entries whose planning task was lost (killed worker, broker
    # restart) are planned once a minute has passed; row locks keep concurrent sweepers apart.
    "plan-unplanned-entries": {
        "task": "messaging.tasks.plan_unplanned_entries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Status webhooks recorded but not applied (their drain task lost, a worker killed mid-batch):
    # applied once 30 s old; applied rows kept 8 days (Meta's retries) then deleted.
    "sweep-status-intake": {
        "task": "messaging.tasks.sweep_status_intake",
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
    # Channel fallback: WhatsApp messages not delivered within their brand's wait are replaced by
    # the next channel. Only the rows due are read (a partial index); SKIP LOCKED keeps two
    # sweeps apart, and a dropped tick only delays the replacement by a minute.
    "expire-undelivered-whatsapp": {
        "task": "messaging.tasks.expire_undelivered_whatsapp",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # WhatsApp templates at Meta (messaging.services.whatsapp_template_sync): the webhooks move
    # them at once; this re-sync catches a missed one, sparingly (management calls are limited
    # to about 200 an hour per business account). Nothing happens without WHATSAPP_BUSINESS_ACCOUNT_ID.
    "sync-whatsapp-templates": {
        "task": "messaging.tasks.sync_whatsapp_templates",
        "schedule": crontab(minute=17, hour="*/6"),
        "options": {"expires": 3600},
    },
    # Questions to shoppers (cash on delivery, delivery rating) whose step is due: only due rows
    # are read (a partial index); a minute's delay on a question or a reminder costs nothing.
    "run-due-asks": {
        "task": "messaging.tasks.run_due_asks",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Outbound webhooks whose delivery task was lost: only pending rows that are due are read.
    "sweep-due-webhooks": {
        "task": "webhooks_out.tasks.sweep_due_webhooks",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The webhook delivery log is kept 30 days.
    "purge-webhook-deliveries": {
        "task": "webhooks_out.tasks.purge_deliveries",
        "schedule": crontab(minute=20, hour=2),
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
