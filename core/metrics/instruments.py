"""The histograms observed where the work happens (see core/metrics/__init__.py for how several
processes' observations are added up). Label values are always from small fixed sets (provider
names, channels, outcome kinds, route patterns), never ids or raw paths: each value is a series.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import Histogram

# Seconds. A provider answers in 0.1-0.3 s; the HTTP timeout is 10 s (core/http.py).
PROVIDER_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Seconds from the provider's timestamp to our record of it: seconds when all is well, hours when
# webhooks were held up (Meta retries for up to 7 days).
LAG_BUCKETS = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600)
logger = logging.getLogger(__name__)

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

PROVIDER_CALL_SECONDS = Histogram(
    "parcelcast_provider_call_seconds",
    "Provider send calls (Provider.send): time taken, per provider, channel and outcome "
    "(accepted, or the ProviderError kind: transient, permanent, config, opt_out).",
    ["provider", "channel", "outcome"],
    buckets=PROVIDER_BUCKETS,
)
WEBHOOK_LAG_SECONDS = Histogram(
    "parcelcast_webhook_lag_seconds",
    "Status webhooks: seconds from the provider's timestamp of a status to our recording it.",
    ["provider"],
    buckets=LAG_BUCKETS,
)
REQUEST_SECONDS = Histogram(
    "parcelcast_http_request_seconds",
    "HTTP requests: time taken, per route pattern (not the path), method and status class.",
    ["route", "method", "status"],
    buckets=REQUEST_BUCKETS,
)


def observe_provider_call(*, provider: str, channel: str, outcome: str, seconds: float) -> None:
    try:
        PROVIDER_CALL_SECONDS.labels(provider=provider, channel=channel, outcome=outcome).observe(seconds)
    except Exception:  # a metrics problem (the directory unwritable...) must never fail a send
        logger.warning("metrics: a provider call could not be observed", exc_info=True)


@contextmanager
def provider_call(*, provider: str, channel: str) -> Iterator[dict]:
    """Time the block as one provider call. The block sets `outcome` in the dict it gets; an
    exception escaping it is counted as `error` (and goes on)."""
    call = {"outcome": "error"}
    started = time.perf_counter()
    try:
        yield call
    finally:
        observe_provider_call(
            provider=provider, channel=channel, outcome=call["outcome"], seconds=time.perf_counter() - started
        )


def observe_webhook_lag(provider: str, seconds_list: Iterable[float]) -> None:
    """One observation per status in a webhook delivery: seconds from the provider's timestamp to
    now. A provider clock ahead of ours counts as no lag, not as a negative one."""
    try:
        histogram = WEBHOOK_LAG_SECONDS.labels(provider=provider)
        for seconds in seconds_list:
            histogram.observe(max(0.0, float(seconds)))
    except Exception:  # never fail the webhook over its metrics
        logger.warning("metrics: webhook lag could not be observed", exc_info=True)
