"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered in every app."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("parcelcast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _connect_metrics() -> None:
    # Beat tasks' last success and the multiprocess metrics files of ended children (config/metrics.py).
    from config.metrics import connect_signals

    connect_signals(signals)


_connect_metrics()


@signals.task_prerun.connect
@signals.task_postrun.connect
def recycle_database_connections(sender=None, **kwargs) -> None:
    """Database connections live as in a web request: CONN_MAX_AGE, errors and health checks
    decide (Django's `close_old_connections`). Celery's own Django fix-up would close every
    connection around every task, so each task paid for a new PostgreSQL backend; settings set
    CELERY_DB_REUSE_MAX to leave that to this handler."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # eager (tests): the caller's connection, inside the caller's transaction
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_process_init.connect
def tune_garbage_collection(**kwargs) -> None:
    """A worker process allocates many short-lived objects per task (rows, model instances,
    provider answers) on top of a large heap that lives as long as the process (Django, the apps,
    Celery). CPython's default collector scans its youngest generation every 700 allocations and
    the whole heap now and then: about 0.1 ms of CPU per event on the dispatch path (`make bench`,
    measured with gc.callbacks). What the process inherited is frozen (never scanned again) and
    the youngest generation is scanned every WORKER_GC_THRESHOLD allocations instead."""
    import gc

    from django.conf import settings

    gc.freeze()
    threshold = settings.WORKER_GC_THRESHOLD
    if threshold:
        gc.set_threshold(threshold, *gc.get_threshold()[1:])
