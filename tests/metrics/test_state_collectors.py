"""State read at scrape time: beat tasks' last success, Celery queue depths (Redis), and the
multiprocess files of other processes."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from celery.schedules import crontab
from django.core.cache import cache
from kombu import Queue

from config import metrics
from config.beat import BEAT_SCHEDULE
from tests.conftest import redis_url_or_skip
from tests.metrics.conftest import value

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _no_beat_successes():
    cache.delete_many([metrics.BEAT_KEY.format(entry=entry) for entry in BEAT_SCHEDULE])


def test_a_beat_task_that_succeeds_shows_its_last_success(scrape):
    from messaging.tasks import release_scheduled_messages

    assert value(scrape(), "parcelcast_beat_last_success_timestamp_seconds", entry="release-scheduled-messages") is None
    started = time.time()

    release_scheduled_messages.delay()  # eager in tests: the worker's signals fire all the same

    scraped = scrape()
    last = value(scraped, "parcelcast_beat_last_success_timestamp_seconds", entry="release-scheduled-messages")
    assert last is not None and started <= last <= time.time()
    assert value(scraped, "parcelcast_beat_last_success_timestamp_seconds", entry="poll-due-shipments") is None
    assert value(scraped, "parcelcast_beat_period_seconds", entry="release-scheduled-messages") == 15


def test_a_task_the_beat_does_not_run_records_nothing():
    assert metrics.beat_success_record("messaging.tasks.send_message") == []
    assert metrics.beat_success_record("tracking.tasks.poll_due_shipments") == ["poll-due-shipments"]


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        (60.0, 60),
        (crontab(minute=40, hour=1), 86400),
        (crontab(minute=17, hour="*/6"), 21600),
        (crontab(minute=0, hour=3, day_of_month=1), 31 * 86400),
        (crontab(minute="*/5"), 300),
    ],
)
def test_each_schedule_has_a_period_to_alert_on(schedule, seconds):
    assert metrics.nominal_period(schedule) == seconds


def test_queue_names_come_from_the_celery_configuration():
    app = Celery("names", set_as_current=False)
    app.conf.task_queues = [Queue("dispatch"), Queue("polling")]
    app.conf.task_routes = {"messaging.tasks.*": {"queue": "receipts"}, "x.y": "webhooks"}
    app.conf.task_default_queue = "housekeeping"

    assert metrics.queue_names(app) == ["dispatch", "housekeeping", "polling", "receipts", "webhooks"]
    assert metrics.queue_names(Celery("bare", set_as_current=False)) == ["celery"]


def test_queue_depth_is_read_from_the_broker(scrape):
    """The project's own queues (config/queues.py), each a Redis list named after it."""
    import redis

    client = redis.Redis.from_url(redis_url_or_skip())
    client.delete("dispatch")
    try:
        assert value(scrape(), "parcelcast_queue_depth", queue="dispatch") == 0
        client.lpush("dispatch", "task-1", "task-2", "task-3")

        assert value(scrape(), "parcelcast_queue_depth", queue="dispatch") == 3
    finally:
        client.delete("dispatch")


def test_histograms_of_other_processes_are_added_up(tmp_path):
    """Multiprocess mode: two processes observe into the shared directory, the files are merged."""
    from core.metrics.exposition import _ProcessFiles

    code = (
        "from core.metrics.instruments import observe_provider_call as o; "
        "o(provider='sandbox', channel='sms', outcome='accepted', seconds=0.2)"
    )
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", code],
            check=False,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
        )
        assert result.returncode == 0, result.stderr

    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in _ProcessFiles([str(tmp_path)]).collect()
        for s in family.samples
    }
    labels = frozenset({"provider": "sandbox", "channel": "sms", "outcome": "accepted"}.items())
    assert samples[("parcelcast_provider_call_seconds_count", labels)] == 2
    assert samples[("parcelcast_provider_call_seconds_sum", labels)] == pytest.approx(0.4)
    assert len(list(tmp_path.glob("*.db"))) == 2  # one file per process
