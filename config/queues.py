"""Celery queues by kind of work, and which task goes to which (settings: CELERY_TASK_QUEUES,
CELERY_TASK_ROUTES). A burst of one kind never waits in front of another: each queue has its own
workers in production (README, "Growing past one machine"); `make run` has one worker on them all,
which takes from its queues in turn (kombu's fair cycle), so even there a flood of one kind is
served one task for one.

- `dispatch`: planning and sending of messages, the latency that shoppers see (seconds).
- `receipts`: what providers tell us back (delivery receipts, replies: inbound webhook intake) and
  the sandbox's simulated receipts; must not wait behind a dispatch burst.
- `polling`: asking carriers about due shipments, in bursts of batches; slow carrier APIs.
- `webhooks`: our outbound webhooks to customers' endpoints: a slow endpoint holds these workers,
  never dispatch's.
- `sweeps`: the beat's frequent, bounded sweeps (each tick expires before the next, takes a
  limited batch, and hands its sends to `dispatch`): lost planning and sends, due scheduled
  messages, channel fallback, shopper questions, stalled parcels, lost webhook deliveries.
- `housekeeping`: long or rare work whose delay costs nothing: invoicing, purges, lane statistics,
  template syncs with Meta, e-mails to account owners, API key bookkeeping.
- `default`: a task routed nowhere. None of ours is (tests/config/test_queue_routes.py fails a
  task without a route), so in production the housekeeping workers also take it.

Routes name tasks exactly (a new task needs its own line here); the patterns catch the inbound
webhook intake tasks by name, wherever in messaging or tracking they live.
"""

from kombu import Exchange, Queue

DISPATCH = "dispatch"
RECEIPTS = "receipts"
POLLING = "polling"
WEBHOOKS = "webhooks"
SWEEPS = "sweeps"
HOUSEKEEPING = "housekeeping"
DEFAULT_QUEUE = "default"

QUEUE_NAMES: tuple[str, ...] = (DISPATCH, RECEIPTS, POLLING, WEBHOOKS, SWEEPS, HOUSEKEEPING, DEFAULT_QUEUE)
# Each queue on its own direct exchange and routing key, as Celery declares its default `celery`.
TASK_QUEUES: tuple[Queue, ...] = tuple(Queue(name, Exchange(name), routing_key=name) for name in QUEUE_NAMES)

_ROUTED: dict[str, tuple[str, ...]] = {
    DISPATCH: (
        "messaging.tasks.plan_messages",
        "messaging.tasks.send_messages",
        "messaging.tasks.send_message",
    ),
    RECEIPTS: (
        "messaging.tasks.simulate_sandbox_receipt",
        # inbound webhooks processed in tasks (provider receipts and replies, carrier pushes)
        "messaging.*intake*",
        "messaging.*receipt*",
        "tracking.*intake*",
    ),
    POLLING: (
        "tracking.tasks.poll_due_shipments",
        "tracking.tasks.poll_batch",
    ),
    WEBHOOKS: (
        "webhooks_out.tasks.deliver_webhooks",
        "webhooks_out.tasks.deliver_webhook",
    ),
    SWEEPS: (
        "messaging.tasks.plan_unplanned_entries",
        "messaging.tasks.requeue_stuck_messages",
        "messaging.tasks.release_scheduled_messages",
        "messaging.tasks.expire_undelivered_whatsapp",
        "messaging.tasks.run_due_asks",
        "tracking.tasks.check_stalled_shipments",
        "webhooks_out.tasks.sweep_due_webhooks",
        # the status webhooks' sweeper (its drain is a receipts task, by the pattern below)
        "messaging.tasks.sweep_status_intake",
    ),
    HOUSEKEEPING: (
        "tracking.tasks.refresh_lane_stats",
        "messaging.tasks.purge_recipients",
        "messaging.tasks.sync_whatsapp_templates",
        "messaging.tasks.sync_sender_templates",
        "webhooks_out.tasks.purge_deliveries",
        "billing.tasks.invoice_previous_month",
        "billing.tasks.invoice_account_batch",
        "billing.tasks.send_spend_alert",
        "brands.tasks.touch_api_key",
    ),
}

# Celery's task_routes: exact names are looked up first, then the patterns in this order.
TASK_ROUTES: dict[str, dict[str, str]] = {name: {"queue": queue} for queue, names in _ROUTED.items() for name in names}
