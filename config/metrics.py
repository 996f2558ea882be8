"""What the composition root knows and Prometheus reads at scrape time (core/metrics/exposition.py):
Celery queue depths and beat tasks' last success.

Queue depths: the broker's count of waiting messages in every queue the Celery app knows (its
configured queues, the queues its routes name, the default queue), read with a passive
queue_declare (kombu answers it from Redis with an LLEN per priority level), so a queue added to
the settings is measured without touching this file and nothing is created by looking.

Beat last success: when a task that the beat schedule runs (config/beat.py) succeeds, wherever it
runs, its time is kept in the cache (Redis in production, shared by every process), one key per
schedule entry; the gauge is that time. Tasks that never succeeded since the cache was emptied
have no sample: alert on the age of those that have, and on absent() for the frequent ones.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import ChannelError
from prometheus_client.core import GaugeMetricFamily

from core.metrics import multiprocess

logger = logging.getLogger(__name__)

BEAT_KEY = "metrics:beat-success:{entry}"
BROKER_TIMEOUT = 2  # seconds: a scrape must not hang on a broker that does not answer
DEFAULT_QUEUE = "celery"


# --- queue depths ------------------------------------------------------------------------------


def _route_queues(routes) -> set[str]:
    """Queue names in task_routes given as a mapping, or a list of mappings (routers that are
    functions cannot be read without a task: their queues must be in task_queues too)."""
    found: set[str] = set()
    for router in routes if isinstance(routes, list | tuple) else [routes]:
        if isinstance(router, Mapping):
            for route in router.values():
                queue = route.get("queue") if isinstance(route, Mapping) else route if isinstance(route, str) else None
                name = getattr(queue, "name", queue)
                if isinstance(name, str) and name:
                    found.add(name)
    return found


def queue_names(app=None) -> list[str]:
    """Every queue the Celery app sends to: configured, routed to, and the default one."""
    app = app or _celery_app()
    names = set(app.amqp.queues) | _route_queues(app.conf.task_routes or {})
    names.add(app.conf.task_default_queue or DEFAULT_QUEUE)
    return sorted(names)


def queue_depths(app=None) -> dict[str, int]:
    """Queue name -> messages waiting in the broker (taken, unacknowledged ones not counted)."""
    app = app or _celery_app()
    depths: dict[str, int] = {}
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        channel = connection.default_channel
        for name in queue_names(app):
            try:
                depths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:  # the broker has never seen it, or it is empty (Redis keeps no empty list)
                depths[name] = 0
    return depths


def _celery_app():
    from config.celery import app

    return app


class QueueDepthCollector:
    def collect(self):
        depth = GaugeMetricFamily(
            "parcelcast_queue_depth", "Celery tasks waiting in each broker queue.", labels=["queue"]
        )
        for name, count in queue_depths().items():
            depth.add_metric([name], count)
        yield depth


# --- beat tasks' last success ------------------------------------------------------------------


def beat_entries(schedule: Mapping[str, dict] | None = None) -> dict[str, list[str]]:
    """Task name -> the beat schedule entries that run it."""
    entries: dict[str, list[str]] = {}
    for entry, spec in (settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule).items():
        entries.setdefault(spec["task"], []).append(entry)
    return entries


def beat_success_record(task_name: str, *, at: float | None = None) -> list[str]:
    """Remember that `task_name` succeeded now, if the beat runs it; returns the entries marked."""
    entries = beat_entries().get(task_name, [])
    if entries:
        when = time.time() if at is None else at
        cache.set_many({BEAT_KEY.format(entry=entry): when for entry in entries}, timeout=None)
    return entries


def nominal_period(schedule) -> float | None:
    """Seconds between runs of a beat schedule: exact for an interval, the widest gap of an evenly
    spread crontab (a monthly job: 31 days), None for a schedule of another kind."""
    if isinstance(schedule, int | float):
        return float(schedule)
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    if run_every is not None and not isinstance(schedule, crontab):
        return run_every.total_seconds()
    if isinstance(schedule, crontab):
        if len(schedule.day_of_month) < 31 or len(schedule.month_of_year) < 12:
            return 31 * 86400.0
        if len(schedule.day_of_week) < 7:
            return 7 * 86400.0
        if len(schedule.hour) < 24:
            return 86400.0 / len(schedule.hour)
        return 3600.0 / len(schedule.minute)
    return None


class BeatCollector:
    def collect(self):
        schedule: Mapping[str, dict] = settings.CELERY_BEAT_SCHEDULE
        last = GaugeMetricFamily(
            "parcelcast_beat_last_success_timestamp_seconds",
            "Unix time of the last success of each beat schedule entry's task (absent: none since the cache "
            "was emptied).",
            labels=["entry"],
        )
        period = GaugeMetricFamily(
            "parcelcast_beat_period_seconds",
            "Seconds between two runs of each beat schedule entry (crontab entries: the widest gap).",
            labels=["entry"],
        )
        stored = cache.get_many([BEAT_KEY.format(entry=entry) for entry in schedule])
        for entry, spec in schedule.items():
            when = stored.get(BEAT_KEY.format(entry=entry))
            if when is not None:
                last.add_metric([entry], float(when))
            seconds = nominal_period(spec["schedule"])
            if seconds is not None:
                period.add_metric([entry], seconds)
        yield last
        yield period


def connect_signals(signals) -> None:
    """Celery signal handlers (config/celery.py): the beat successes, and the worker's multiprocess
    metrics directory (core/metrics/__init__.py): emptied when the worker starts, before it forks
    its children (the files of a previous run's processes would be added up for ever), and a
    child's files marked when it ends."""
    signals.task_success.connect(_on_task_success, weak=False, dispatch_uid="metrics.beat_success")
    signals.worker_init.connect(_on_worker_init, weak=False, dispatch_uid="metrics.empty_directory")
    signals.worker_process_shutdown.connect(_on_process_shutdown, weak=False, dispatch_uid="metrics.process_dead")


def _on_worker_init(**kwargs) -> None:
    multiprocess.empty_directory()


def _on_task_success(sender=None, **kwargs) -> None:
    try:
        beat_success_record(getattr(sender, "name", ""))
    except Exception:  # the cache is down: the task did succeed, and that must not change
        logger.warning("metrics: could not record the beat success of %s", getattr(sender, "name", "?"), exc_info=True)


def _on_process_shutdown(pid=None, **kwargs) -> None:
    multiprocess.mark_dead(pid)
