"""gunicorn's settings file (read from the working directory: `gunicorn config.wsgi`).

Only the metrics' multiprocess mode lives here (core/metrics/__init__.py): with
PROMETHEUS_MULTIPROC_DIR set, the directory is emptied when the master starts (the files of the
previous run's workers would be added up for ever) and a worker that exits is marked dead.
Give the web its own directory: Celery's workers write to theirs (METRICS_MULTIPROC_DIRS).
"""

from core.metrics import multiprocess


def on_starting(server):
    multiprocess.empty_directory()


def child_exit(server, worker):
    multiprocess.mark_dead(worker.pid)
