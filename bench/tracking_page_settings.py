"""The production settings plus what bench/tracking_page.py needs: a constant view for the floor
(bench/tracking_page_urls.py) and a static root of its own for `collectstatic`."""

import os

from config.settings import *

ROOT_URLCONF = "bench.tracking_page_urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
