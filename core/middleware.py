"""Request-level protections that every view gets.

- `RequestSizeLimitMiddleware`: a body announced bigger than MAX_REQUEST_BYTES is refused with 413
  from its Content-Length, before anything reads it (DATA_UPLOAD_MAX_MEMORY_SIZE then guards
  bodies sent without a length, when a view reads them).
- `ContentSecurityPolicyMiddleware`: the Content-Security-Policy header from settings.CSP_POLICY
  (or its report-only twin while CSP_REPORT_ONLY is on). A view that sets its own keeps it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return HttpResponse("invalid Content-Length", status=400, content_type="text/plain")
        if length < 0:
            return HttpResponse("invalid Content-Length", status=400, content_type="text/plain")
        if length > settings.MAX_REQUEST_BYTES:
            response = HttpResponse("request body too large", status=413, content_type="text/plain")
            # The client may keep sending the body we will not read: close rather than drain it.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def csp_header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        )
        if "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" not in response:
            response[header] = csp_header_value(settings.CSP_POLICY)
        return response
