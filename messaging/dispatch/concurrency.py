"""Provider calls of one batch, several in flight at once.

A provider answers in 100-300 ms; one call at a time would leave a worker idle most of that.
`in_parallel` runs the calls on one thread pool per process of `limit` threads (created after a
prefork worker's fork, never inherited through it), shared by every task of the process: a
worker process never has more than `limit` provider calls in flight. The calls only do HTTP:
they touch no database connection, so the pool's threads never hold one.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_lock = threading.Lock()
_pool: tuple[int, int, ThreadPoolExecutor] | None = None  # (pid, size, pool)


def _executor(size: int) -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid() or _pool[1] != size:
            if _pool is not None and _pool[0] == os.getpid():
                _pool[2].shutdown(wait=False)  # the limit changed (settings): new calls use the new pool
            _pool = (os.getpid(), size, ThreadPoolExecutor(max_workers=size, thread_name_prefix="send"))
        return _pool[2]


def in_parallel(call: Callable[[T], R], items: Sequence[T], *, limit: int) -> list[R]:
    """`[call(item) for item in items]`, with up to `limit` calls running at once. A single call
    (or a limit of 1) runs in the caller's thread. `call` must not raise: return the failure."""
    if len(items) <= 1 or limit <= 1:
        return [call(item) for item in items]
    return list(_executor(limit).map(call, items))
