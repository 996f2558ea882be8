"""Bench-only instrumentation of the Celery workers (bench/latency.py starts them with
`--include bench.latency_trace` when BENCH_TRACE_DIR is set): one JSON line per task run, with
its name, how many ids it was given, the worker process and its start and end (unix time), in
BENCH_TRACE_DIR/tasks-<pid>.jsonl. Nothing of the project imports it."""

import json
import os
import time

from celery import signals

_started: dict[str, float] = {}
_file = None


def _out():
    global _file
    if _file is None or _file[0] != os.getpid():
        path = os.path.join(os.environ["BENCH_TRACE_DIR"], f"tasks-{os.getpid()}.jsonl")
        _file = (os.getpid(), open(path, "a", buffering=1))  # noqa: SIM115 - one line per task, kept open
    return _file[1]


@signals.task_prerun.connect
def _prerun(task_id=None, **kwargs) -> None:
    _started[task_id] = time.time()


@signals.task_postrun.connect
def _postrun(task_id=None, task=None, args=None, **kwargs) -> None:
    started = _started.pop(task_id, None)
    if started is None or "BENCH_TRACE_DIR" not in os.environ:
        return
    first = args[0] if args else None
    ids = first if isinstance(first, list) else ([first] if isinstance(first, int) else [])
    _out().write(json.dumps({"task": task.name.rsplit(".", 1)[-1], "pid": os.getpid(), "start": started,
                             "end": time.time(), "ids": ids}) + "\n")
