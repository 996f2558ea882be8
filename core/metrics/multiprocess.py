"""The multiprocess directory's housekeeping (core/metrics/__init__.py), for gunicorn.conf.py and the
Celery worker's signals. No Django here: gunicorn's master calls it before anything is set up."""

from __future__ import annotations

import glob
import os


def empty_directory() -> None:
    """Remove the previous run's files from this role's PROMETHEUS_MULTIPROC_DIR (creating it if
    need be): at the start of a role whose directory no running process shares."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.remove(path)


def mark_dead(pid: int | None) -> None:
    """A process has ended: prometheus_client drops its live gauges (its counters and histograms
    stay, added up with the living processes')."""
    if pid and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
