"""Provider calls of one batch, several in flight at once, handed back as they complete.

A provider answers in 100-300 ms; one call at a time would leave a worker idle most of that.
`as_they_complete` runs the calls on one thread pool per process of `limit` threads (created
after a prefork worker's fork, never inherited through it), shared by every task of the process:
a worker process never has more than `limit` provider calls in flight. The calls only do HTTP:
they touch no database connection, so the pool's threads never hold one.

Answers are handed back in groups: after the first, a group waits for the other calls in flight
for a quarter of the time the first one took, at least GATHER_SECONDS (5 ms) and at most
MAX_GATHER_SECONDS (50 ms), never longer for a slow one. The caller records each group in one
transaction before the freed places are refilled, so at any moment at most `limit` calls of a
task are unrecorded, whether in flight or answered and being written down. Gathering matters
when the machine is busy: answers spread over a few milliseconds otherwise come in two
alternating cohorts of half the calls, and each costs a transaction (measured: 8 messages a
group at a limit of 16, about 14 with gathering; 0.55 fewer queries per event). It matters more
with a real provider's 100 - 300 ms: answers then spread over the whole round trip, and a fixed
5 ms window recorded 1.5 messages a group; waiting in proportion to the round trip gathers about
4, for a third less of the machine's CPU per event and about 10 % fewer calls a second per
process (the places wait for their group to be written; bench/dispatch.py with
BENCH_PROVIDER_LATENCY_MS=200).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from queue import Empty, SimpleQueue
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# How long a group waits for the other calls in flight after its first answer: GATHER_SHARE of
# the time that first call took, within these bounds.
GATHER_SECONDS = 0.005
MAX_GATHER_SECONDS = 0.05
GATHER_SHARE = 0.25

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


def as_they_complete(call: Callable[[T], R], items: Sequence[T], *, limit: int) -> Iterator[list[tuple[T, R]]]:
    """`(item, call(item))` for every item, up to `limit` calls running at once, yielded in groups:
    each group holds every call that completed since the previous one (at least one), waiting
    up to the first's `gather_window` for the other calls in flight. The places
    a group frees are refilled only when the caller asks for the next group. A limit of 1 runs
    the calls one by one in the caller's thread. `call` must not raise: return the failure."""
    if limit <= 1 or len(items) <= 1:
        for item in items:
            yield [(item, call(item))]
        return
    executor = _executor(limit)
    waiting = iter(items)
    answers: SimpleQueue = SimpleQueue()  # the pool's threads put each answer here as its call ends
    futures: list[Future] = []

    def start(count: int) -> int:
        started = len(futures)
        for item in islice(waiting, count):
            futures.append(executor.submit(_answer, call, item, answers))
        return len(futures) - started

    running = start(limit)
    try:
        while running:
            group = _gather(answers, wanted=running)
            running -= len(group)
            yield group
            running += start(len(group))
    finally:
        # The caller stopped (an error while recording): calls not started never start; those
        # running end on their own, their outcome unknown to us (as after a crash).
        for future in futures:
            future.cancel()


def gather_window(first_call_seconds: float) -> float:
    """How long a group waits for more answers after its first, whose call took this long."""
    return min(MAX_GATHER_SECONDS, max(GATHER_SECONDS, GATHER_SHARE * first_call_seconds))


def _gather(answers: SimpleQueue, *, wanted: int) -> list:
    """Wait for one answer, then for more until `wanted` have arrived or the `gather_window` of
    the first has passed: each group is written in one transaction, so waiting a fraction of a
    round trip for the answers already on their way saves most of the transactions, and a quiet
    worker waits no longer than that."""
    item, result, took = answers.get()
    group = [(item, result)]
    deadline = time.monotonic() + gather_window(took)
    while len(group) < wanted:
        remaining = deadline - time.monotonic()
        try:
            item, result, _ = answers.get(timeout=remaining) if remaining > 0 else answers.get_nowait()
        except Empty:
            break
        group.append((item, result))
    while True:  # and whatever else is there already
        try:
            item, result, _ = answers.get_nowait()
        except Empty:
            return group
        group.append((item, result))


def _answer(call: Callable[[T], R], item: T, answers: SimpleQueue) -> None:
    started = time.monotonic()
    try:
        answers.put((item, call(item), time.monotonic() - started))
    except BaseException as exc:  # a `call` that breaks its contract must not leave the caller waiting
        answers.put((item, exc, time.monotonic() - started))
        raise
