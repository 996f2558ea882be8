"""Every task goes to the queue of its kind of work (config/queues.py), on purpose: a task added
without a route fails here instead of landing in `default`, behind whatever else is there."""

import re
from pathlib import Path

import pytest

from config.beat import BEAT_SCHEDULE
from config.celery import app
from config.queues import DEFAULT_QUEUE, QUEUE_NAMES

ROOT = Path(__file__).resolve().parents[2]

# The decision for each of our tasks. A new task needs a line here and in config/queues.py.
EXPECTED = {
    # planning and sending: the latency shoppers see
    "messaging.tasks.plan_messages": "dispatch",
    "messaging.tasks.send_messages": "dispatch",
    "messaging.tasks.send_message": "dispatch",
    # what providers tell us back
    "messaging.tasks.simulate_sandbox_receipt": "receipts",
    # carriers, in bursts
    "tracking.tasks.poll_due_shipments": "polling",
    "tracking.tasks.poll_batch": "polling",
    # customers' endpoints, however slow
    "webhooks_out.tasks.deliver_webhooks": "webhooks",
    "webhooks_out.tasks.deliver_webhook": "webhooks",
    # the beat's bounded, frequent sweeps
    "messaging.tasks.plan_unplanned_entries": "sweeps",
    "messaging.tasks.requeue_stuck_messages": "sweeps",
    "messaging.tasks.release_scheduled_messages": "sweeps",
    "messaging.tasks.expire_undelivered_whatsapp": "sweeps",
    "messaging.tasks.run_due_asks": "sweeps",
    "tracking.tasks.check_stalled_shipments": "sweeps",
    "webhooks_out.tasks.sweep_due_webhooks": "sweeps",
    "messaging.tasks.sweep_status_intake": "sweeps",  # the status webhooks' sweeper (its drain: receipts)
    # long or rare work
    "tracking.tasks.refresh_lane_stats": "housekeeping",
    "messaging.tasks.purge_recipients": "housekeeping",
    "messaging.tasks.sync_whatsapp_templates": "housekeeping",
    "messaging.tasks.sync_sender_templates": "housekeeping",
    "webhooks_out.tasks.purge_deliveries": "housekeeping",
    "billing.tasks.invoice_previous_month": "housekeeping",
    "billing.tasks.invoice_account_batch": "housekeeping",
    "billing.tasks.send_spend_alert": "housekeeping",
    "brands.tasks.touch_api_key": "housekeeping",
}
# Inbound webhooks processed in tasks go to `receipts` by name, wherever they are defined.
INTAKE = re.compile(r"^(messaging|tracking)\..*intake.*$|^messaging\..*receipt.*$")


def queue_of(name: str) -> str:
    """The queue Celery's router sends this task to (what `.delay()` and beat use)."""
    return app.amqp.router.route({}, name)["queue"].name


def our_tasks() -> list[str]:
    app.loader.import_default_modules()  # every app's tasks.py (autodiscovery)
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_of_ours_has_a_decided_queue():
    tasks = our_tasks()
    assert "messaging.tasks.plan_messages" in tasks  # the walk sees the apps' tasks

    undecided = [name for name in tasks if name not in EXPECTED and not INTAKE.match(name)]

    assert undecided == [], "route these in config/queues.py and list them in EXPECTED"


def test_each_task_is_routed_to_its_queue():
    routed = {name: queue_of(name) for name in [*our_tasks(), *EXPECTED]}

    assert {name: routed[name] for name in EXPECTED} == EXPECTED
    assert {queue for name, queue in routed.items() if INTAKE.match(name) and name not in EXPECTED} <= {"receipts"}
    assert DEFAULT_QUEUE not in routed.values()


@pytest.mark.parametrize(
    "name",
    [
        "messaging.tasks.drain_status_intake",
        "messaging.tasks.process_status_intake",
        "messaging.webhooks.tasks.intake_inbound",
        "messaging.tasks.record_receipts",
        "tracking.tasks.carrier_intake",
    ],
)
def test_inbound_webhook_intake_tasks_go_to_receipts_by_name(name):
    assert queue_of(name) == "receipts"


def test_a_task_without_a_route_goes_to_the_default_queue():
    assert queue_of("messaging.tasks.something_new") == DEFAULT_QUEUE


def test_every_beat_entry_names_a_task_routed_off_the_default_and_dispatch_queues():
    tasks = set(our_tasks())
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
        assert queue_of(entry["task"]) not in (DEFAULT_QUEUE, "dispatch"), entry["task"]


def test_every_queue_is_declared_and_make_runs_worker_consumes_them_all():
    assert [queue.name for queue in app.conf.task_queues] == list(QUEUE_NAMES)
    worker = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))

    consumed = re.search(r"-Q (\S+)", worker).group(1).split(",")

    assert sorted(consumed) == sorted(QUEUE_NAMES)
