"""`/metrics`: the Prometheus text format, for a scraper that proves who it is.

Closed unless configured: without METRICS_TOKEN and METRICS_ALLOWED_IPS the route answers 404, as
if it did not exist. With a token, a request must carry `Authorization: Bearer <token>` (compared in
constant time; 401 otherwise); with allowed addresses (addresses or networks, `client_ip` as the
rate limits see it), the client must be inside one (403 otherwise). With both, both must hold.
Never cached.

What is exposed: the histograms of every process (multiprocess mode, see __init__.py) or of this
process, plus the state read at scrape time by the collectors named in settings.METRICS_COLLECTORS
(dotted paths to classes with a `collect()`), so that core imports no app: config decides.
"""

from __future__ import annotations

import glob
import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from core.ratelimit import client_ip

logger = logging.getLogger(__name__)


def _allowed_networks() -> list:
    return [ipaddress.ip_network(value, strict=False) for value in settings.METRICS_ALLOWED_IPS]


def _address_allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def _token_ok(request) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), settings.METRICS_TOKEN.encode())


def refusal(request) -> HttpResponse | None:
    """The answer to a scraper that may not read the metrics, or None when it may."""
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_IPS:
        raise Http404("metrics are off")
    if settings.METRICS_ALLOWED_IPS and not _address_allowed(request):
        return HttpResponse("address not allowed\n", status=403, content_type="text/plain")
    if settings.METRICS_TOKEN and not _token_ok(request):
        response = HttpResponse("bearer token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return None


class _ThisProcess:
    """The process's own registry (no multiprocess directory): its histograms and the
    process/platform/GC collectors prometheus_client registers by default."""

    def collect(self):
        yield from REGISTRY.collect()


class _Guarded:
    """The scrape-time collectors, each on its own: one that fails (the database or the broker is
    down) costs its own numbers, not the whole scrape; `parcelcast_collector_up` says which."""

    def __init__(self, paths):
        self.paths = paths

    def collect(self):
        up = GaugeMetricFamily(
            "parcelcast_collector_up",
            "1 when the scrape-time collector read its numbers, 0 "
            "when it failed (its numbers are missing from this scrape).",
            labels=["collector"],
        )
        for path in self.paths:
            try:
                families = list(import_string(path)().collect())
            except Exception:  # whatever broke, the other numbers still go out
                logger.exception("metrics: the collector %s failed", path)
                up.add_metric([path.rsplit(".", 1)[-1]], 0)
                continue
            up.add_metric([path.rsplit(".", 1)[-1]], 1)
            yield from families
        yield up


class _ProcessFiles:
    """Multiprocess mode: the files of every process in this process's own directory and in
    METRICS_MULTIPROC_DIRS (the Celery workers' directory of the same host), added up."""

    def __init__(self, directories: list[str]):
        self.directories = directories

    def collect(self):
        files = [path for directory in self.directories for path in sorted(glob.glob(os.path.join(directory, "*.db")))]
        return MultiProcessCollector.merge(files, accumulate=True)


def multiprocess_directories() -> list[str]:
    own = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return list(dict.fromkeys(d for d in (own, *settings.METRICS_MULTIPROC_DIRS) if d)) if own else []


def registry() -> CollectorRegistry:
    """A registry for one scrape: the histograms, then the state read now."""
    scrape = CollectorRegistry(auto_describe=False)
    directories = multiprocess_directories()
    scrape.register(_ProcessFiles(directories) if directories else _ThisProcess())
    scrape.register(_Guarded(tuple(settings.METRICS_COLLECTORS)))
    return scrape


@never_cache
@require_GET
def metrics(request):
    refused = refusal(request)
    if refused is not None:
        return refused
    # The format the scraper asks for (Accept): the classic text format, or OpenMetrics.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return HttpResponse(encode(registry()), content_type=content_type)
