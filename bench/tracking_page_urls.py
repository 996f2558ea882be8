"""The app's URLs plus /bench/floor: a constant page through the same middleware stack, the
floor the tracking page is measured against (bench/tracking_page.py). Its body is the bytes of
BENCH_FLOOR_FILE (the tracking page the bench measures), so both send as much."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path


@cache
def _body() -> bytes:
    return Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()


def floor(request):
    return HttpResponse(_body(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor", floor), path("", include("config.urls"))]

handler404 = "core.error_views.not_found"
handler500 = "core.error_views.server_error"
