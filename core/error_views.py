"""Error pages: under /api/ the answer is JSON like every other API error; on the shopper's public
pages (tracking, lookup, unsubscribe) a branded page in the shopper's language; elsewhere
Django's page.

A URL under /api/ that matches no route (e.g. /api/v1/brands/2.4/) never reaches a DRF view, so
without this it would get Django's HTML page, which API clients (and the schema) do not expect.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from core.languages import shopper_language
from core.not_found_copy import COPY

# Public pages a shopper reaches from a message: a bad link there gets the shopper's 404 page.
SHOPPER_PREFIXES = {"/track/": "tracking", "/unsubscribe/": "unsubscribe"}


def shopper_not_found(request, *, kind: str, language: str | None = None):
    """The shopper's "this link does not work" page (404), in `language` when the caller knows the
    shopper's, else in the browser's (Accept-Language), else English. `kind`: tracking/unsubscribe."""
    language = shopper_language(request, language)
    copy = COPY[language]
    context = {"language": language, "copy": copy, "text": copy[f"{kind}_text"], "hint": copy[f"{kind}_hint"]}
    response = render(request, "shopper/not_found.html", context, status=404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response.setdefault("Content-Language", language)
    return response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    for prefix, kind in SHOPPER_PREFIXES.items():
        if request.path.startswith(prefix):
            return shopper_not_found(request, kind=kind)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
