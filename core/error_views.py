"""Error pages: under /api/ the answer is JSON like every other API error, elsewhere Django's page.

A URL under /api/ that matches no route (e.g. /api/v1/brands/2.4/) never reaches a DRF view, so
without this it would get Django's HTML page, which API clients (and the schema) do not expect.
"""

from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
