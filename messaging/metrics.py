"""Messages per channel and state, read when Prometheus scrapes (core/metrics/exposition.py).

The table grows without end (10M rows and more), so nothing here counts it whole:

- the backlog, `queued` and `scheduled`, is counted exactly, whenever created: each state has a
  partial index of its own (the outbox sweeper's and the release's), so each count reads only the
  rows in that state;
- every other state (sent, delivered, read, failed, suppressed, expired) is counted over the
  messages created in the last RECENT_WINDOW (24 h), through a BRIN index on created_at
  (migration 0018: a few pages for the whole table, next to nothing per write).

Counted per scrape rather than kept as counters at every state change: the changes happen in a
dozen conditional bulk UPDATEs (sending, receipts, fallback, sweepers), and a counter missed by
one of them would drift for ever; a count is right by construction. bench/metrics_explain.py
shows the plans and times on 10M rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from messaging.channels import CHANNELS
from messaging.models import Message, MessageState

RECENT_WINDOW = timedelta(hours=24)
BACKLOG = (MessageState.QUEUED, MessageState.SCHEDULED)


def backlog_counts(state: str):
    """[{channel, n, oldest}] of the messages in `state` (one of BACKLOG): read through that
    state's partial index. One state per query: `state IN (...)` would not match either index."""
    return (
        Message.objects.filter(state=state)
        .order_by()
        .values("channel")
        .annotate(n=Count("id"), oldest=Min("created_at"))
    )


def recent_counts(*, since):
    """[{channel, state, n}] of the messages created since `since`, past the backlog (BRIN)."""
    return (
        Message.objects.filter(created_at__gte=since)
        .exclude(state__in=BACKLOG)
        .order_by()
        .values("channel", "state")
        .annotate(n=Count("id"))
    )


class MessageStateCollector:
    def collect(self):
        now = timezone.now()
        messages = GaugeMetricFamily(
            "parcelcast_messages",
            "Messages per channel and state: queued and scheduled all of them, the other states those "
            f"created in the last {int(RECENT_WINDOW.total_seconds() // 3600)} h.",
            labels=["channel", "state"],
        )
        oldest = GaugeMetricFamily(
            "parcelcast_messages_oldest_queued_seconds",
            "Age of the oldest queued message per channel (0: none queued).",
            labels=["channel"],
        )
        ages: dict[str, float] = {}
        for state in BACKLOG:
            for row in backlog_counts(state):
                messages.add_metric([row["channel"], state], row["n"])
                if state == MessageState.QUEUED:
                    ages[row["channel"]] = max(0.0, (now - row["oldest"]).total_seconds())
        for row in _without_jit(recent_counts(since=now - RECENT_WINDOW)):
            messages.add_metric([row["channel"], row["state"]], row["n"])
        for channel in CHANNELS:  # a series per channel, so that "nothing queued" reads 0, not absent
            oldest.add_metric([channel], ages.get(channel, 0.0))
        yield messages
        yield oldest


def _without_jit(query) -> list:
    """The rows of `query`, with PostgreSQL's JIT off: the day's count is estimated dear enough on a
    big table to be compiled, and compiling took 331 of its 575 ms on 10M rows (bench/metrics_explain.py),
    paid again at every scrape."""
    if connection.vendor != "postgresql":
        return list(query)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return list(query)
