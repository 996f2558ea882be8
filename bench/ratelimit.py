"""What one rate-limit check costs on Redis: the sliding log (core.ratelimit, the `limits` library's
moving window, one Lua script) against the fixed window it replaced (cache.add + cache.incr).

Needs a Redis server: RATELIMIT_STORAGE_URL or CELERY_BROKER_URL (redis://...). Uses keys of its
own and deletes them. Prints one JSON object: microseconds per check, allowed and refused (a log
full at 1,200 entries: the limit of the API), from one client over the network stack.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/ratelimit.py
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECKS = int(os.environ.get("BENCH_RATELIMIT_CHECKS", "5000"))


def per_check_us(work, checks: int = CHECKS) -> float:
    started = time.perf_counter()
    for n in range(checks):
        work(n)
    return round((time.perf_counter() - started) / checks * 1e6, 1)


def main() -> None:
    url = os.environ.get("RATELIMIT_STORAGE_URL") or os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        print(json.dumps({"bench": "ratelimit", "error": "needs RATELIMIT_STORAGE_URL or CELERY_BROKER_URL=redis://"}))
        sys.exit(1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django
    from django.conf import settings

    settings.RATELIMIT_STORAGE_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "pc-bench"}
    }
    django.setup()
    from django.core.cache import cache

    from core import ratelimit

    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "1200/m", "webhook": "1000000/m"}

    def fixed_window(n: int) -> None:  # what core.ratelimit.hit did before
        key = f"bench-rl:{n % 100}"
        cache.add(key, 0, timeout=61)
        cache.incr(key)

    ratelimit.reset()
    fixed = per_check_us(fixed_window)
    # 100 identities, logs growing (allowed: every check logs one more time)
    sliding_allowed = per_check_us(lambda n: ratelimit.hit("webhook", f"bench:{n % 100}"))
    # one identity at its limit: 1,200 logged, then every check is refused (and asks the window)
    for _ in range(1200):
        ratelimit.hit("api_key", "bench:full")
    sliding_refused = per_check_us(lambda n: ratelimit.hit("api_key", "bench:full"))
    ratelimit.reset()
    cache.delete_many([f"bench-rl:{n}" for n in range(100)])
    print(
        json.dumps(
            {
                "bench": "ratelimit",
                "checks": CHECKS,
                "fixed_window_us_per_check": fixed,
                "sliding_log_allowed_us_per_check": sliding_allowed,
                "sliding_log_refused_us_per_check": sliding_refused,
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
