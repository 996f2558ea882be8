"""Request latency per route: `parcelcast_http_request_seconds{route, method, status}`.

The route is the URL pattern that matched (`ResolverMatch.route`, e.g. `api/v1/shipments/<int:pk>/`),
never the path: paths carry ids and tokens, and each distinct label value is a series of its own.
Requests answered before URL resolution (static files, 413s) or matching no pattern share one label.
"""

from __future__ import annotations

import logging
import time

from .instruments import REQUEST_SECONDS

logger = logging.getLogger(__name__)
UNRESOLVED = "<unresolved>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.route or match.view_name or UNRESOLVED) if match is not None else UNRESOLVED


class RequestLatencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"  # clients may invent methods
        try:
            REQUEST_SECONDS.labels(
                route=route_of(request), method=method, status=f"{response.status_code // 100}xx"
            ).observe(time.perf_counter() - started)
        except Exception:  # the answer goes out whatever happens to its metrics
            logger.warning("metrics: a request could not be observed", exc_info=True)
        return response
