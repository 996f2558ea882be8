"""The shopper's tracking page at scale: gunicorn as production runs it (config.wsgi, sync
workers, DEBUG off, PostgreSQL, the Redis cache), loaded over loopback by ApacheBench with 20
clients, against the floor of the same server answering a constant page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/tracking_page.py

The client is `ab` (Debian's apache2-utils, `make apachebench`), a C client: a Python client on
the same two cores would measure itself. Every request says `X-Forwarded-Proto: https`, as the
TLS proxy in front of production does (else DEBUG-off Django answers with a redirect). The
page's per-address limit (THROTTLE_TRACKING_PAGE) is raised for the run, since every request
comes from 127.0.0.1 (it counts only links that lead nowhere, none here).

Runs, each `ab -n BENCH_REQUESTS -c BENCH_CLIENTS` after a warm-up:
- floor: /bench/floor, a constant view behind the same middleware stack that sends the hot page's
  bytes (bench/tracking_page_urls.py, only in the bench's settings);
- hot: one shipment's page again and again, the "where is my order" spike (rendered once, then
  from the shared cache); floor and hot alternate BENCH_ROUNDS times and the medians are kept, so
  that other load on the machine weighs on both alike;
- not_modified: the hot page with its ETag in If-None-Match (304s);
- spread: BENCH_CLIENTS pages at once, one ab process with one client per page (ab takes one URL),
  none rendered before: each page's first request renders it; requests/s over the wall time of
  all of them, p50/p95 over every request (ab's -g files);
- asking: the hot page with TRACKING_PAGE_FRESH_SECONDS=0 (a second server): every request asks
  PostgreSQL for the page's version and takes the page from memory or Redis, what a page costs
  that its worker has not served in the last second;
- uncached: the hot page with TRACKING_PAGE_CACHE_SECONDS=0 and no fresh second (a third server):
  every request reads the events and renders, which is what the page cost before it was cached.

Also checked: the page links its CSS by a fingerprinted name that whitenoise serves with a
far-future, immutable Cache-Control (after `collectstatic`, as production runs it).
Prints one JSON object, with the load average before and after and the gunicorn workers' own
CPU time per request (which other load on the machine hardly changes).
"""

import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common
from bench.dispatch import tree_cpu_seconds

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "4000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
EVENTS_PER_PAGE = int(os.environ.get("BENCH_EVENTS_PER_PAGE", "6"))
TARGET = {"requests_per_second": 500, "share_of_floor": 0.8, "p95_ms": 50}
PROXY_HEADER = ("X-Forwarded-Proto", "https")
HUBS = ("Venlo distribution centre, NL", "Utrecht sorting centre, NL", "Amsterdam depot, NL", "Schiphol hub, NL")


def main() -> None:
    common.require_postgres_url("tracking_page")
    if shutil.which("ab") is None:
        common.refuse("tracking_page", "needs ApacheBench: `make apachebench` (Debian's apache2-utils)")
    broker = common.require_redis_url("tracking_page", "the cache is on it")
    load_before = os.getloadavg()
    with common.throwaway_database("tracking_page") as bench_db, tempfile.TemporaryDirectory() as scratch:
        tokens = seed()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.tracking_page_settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + secrets.token_hex(24),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{bench_db}",
            "CELERY_BROKER_URL": broker,
            "LOG_LEVEL": "WARNING",
            "THROTTLE_TRACKING_PAGE": "100000000/m",
            "BENCH_STATIC_ROOT": str(Path(scratch) / "static"),
            "BENCH_FLOOR_FILE": str(Path(scratch) / "floor.html"),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        result = {
            "bench": "tracking_page",
            "workers": WORKERS,
            "clients": CLIENTS,
            "requests": REQUESTS,
            "rounds": ROUNDS,
            "pages": PAGES,
            "events_per_page": EVENTS_PER_PAGE,
        }
        with Gunicorn(env) as server:
            hot = f"{server.base}/track/{tokens[0]}/"
            page, headers = fetch(hot)
            Path(env["BENCH_FLOOR_FILE"]).write_bytes(page)
            result["page_bytes"] = len(page)
            result["static"] = static_check(server.base, page.decode())
            floor_url = f"{server.base}/bench/floor"
            ab(floor_url, REQUESTS // 4)  # warm-up: connections, templates, the cache
            ab(hot, REQUESTS // 4)
            floors, hots = [], []
            for _ in range(ROUNDS):
                floors.append(server.measured(lambda: ab(floor_url, REQUESTS)))
                hots.append(server.measured(lambda: ab(hot, REQUESTS)))
            result["floor"], result["hot"] = median_run(floors), median_run(hots)
            result["not_modified"] = server.measured(
                lambda: ab(hot, REQUESTS, headers=[("If-None-Match", headers["ETag"])], expect_status=304)
            )
            result["spread"] = server.measured(
                lambda: spread([f"{server.base}/track/{t}/" for t in tokens[1 : 1 + CLIENTS]])
            )
        with Gunicorn({**env, "TRACKING_PAGE_FRESH_SECONDS": "0"}) as server:
            asking = f"{server.base}/track/{tokens[0]}/"
            ab(asking, REQUESTS // 4)
            result["asking"] = server.measured(lambda: ab(asking, REQUESTS))
        with Gunicorn({**env, "TRACKING_PAGE_CACHE_SECONDS": "0", "TRACKING_PAGE_FRESH_SECONDS": "0"}) as server:
            uncached = f"{server.base}/track/{tokens[0]}/"
            ab(uncached, REQUESTS // 4)
            result["uncached"] = server.measured(lambda: ab(uncached, REQUESTS))
    floor_rate = result["floor"]["requests_per_second"]
    for name in ("hot", "not_modified", "spread", "asking", "uncached"):
        result[name]["share_of_floor"] = round(result[name]["requests_per_second"] / floor_rate, 3)
    hot = result["hot"]
    result["target"] = {
        **TARGET,
        "met": hot["requests_per_second"] >= TARGET["requests_per_second"]
        and hot["share_of_floor"] >= TARGET["share_of_floor"]
        and hot["p95_ms"] < TARGET["p95_ms"],
    }
    result["load_average_before"] = [round(value, 2) for value in load_before]
    result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(result))


def seed() -> list[str]:
    """PAGES shipments of one brand, each with EVENTS_PER_PAGE events and the status of its newest;
    their tokens (the first one is the hot page)."""
    from brands.models import Brand
    from brands.services import account_create, brand_create
    from tracking.models import Shipment, Source, TrackingEvent
    from tracking.statuses import Status

    account, _, _ = account_create(company_name="Bench B.V.", country="NL", plan="growth", email="bench@example.com")
    brand = brand_create(account=account, name="Fietsfabriek", slug="fietsfabriek", whatsapp_number="+31612345678")
    Brand.objects.filter(pk=brand.pk).update(
        support_email="help@fietsfabriek.example",
        primary_color="#0f766e",
        logo_url="https://cdn.fietsfabriek.example/logo.svg",
    )
    started = datetime.now(UTC) - timedelta(days=2)
    path = [Status.READY_TO_SHIP] + [Status.IN_TRANSIT] * max(0, EVENTS_PER_PAGE - 2) + [Status.OUT_FOR_DELIVERY]
    path = path[:EVENTS_PER_PAGE]
    shipments = Shipment.objects.bulk_create(
        [
            Shipment(
                brand=brand,
                carrier="dhl",
                tracking_number=f"00340434{n:012d}",
                order_number=f"FF-{10000 + n}",
                recipient_name="Emma de Vries",
                language=("nl", "en", "de")[n % 3],
                to_country="NL",
                to_postal_code="3511 AX",
                status=path[-1] if path else None,
                status_at=started + timedelta(hours=6 * len(path)) if path else None,
                expected_delivery=(started + timedelta(days=3)).date(),
            )
            for n in range(PAGES)
        ],
        batch_size=2000,
    )
    TrackingEvent.objects.bulk_create(
        [
            TrackingEvent(
                shipment=shipment,
                status=status,
                raw_code=status,
                description=f"Scan {index + 1} ({status})",
                occurred_at=started + timedelta(hours=6 * (index + 1)),
                location=HUBS[index % len(HUBS)],
                external_id=f"e{index}",
                source=Source.POLL,
            )
            for shipment in shipments
            for index, status in enumerate(path)
        ],
        batch_size=5000,
    )
    return [shipment.tracking_token for shipment in shipments]


class Gunicorn:
    """`gunicorn config.wsgi` with WORKERS sync workers on a free loopback port."""

    def __init__(self, env: dict):
        self.env = env
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"{self.base}/healthz")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    common.refuse("tracking_page", "gunicorn did not start")
                time.sleep(0.2)
            else:
                return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def measured(self, run) -> dict:
        """`run()`'s result with the server's CPU time (master and workers) per request."""
        before = tree_cpu_seconds([self.process.pid])
        outcome = run()
        after = tree_cpu_seconds([self.process.pid])
        if before is not None and after is not None and outcome["complete"]:
            outcome["server_cpu_ms_per_request"] = round((after - before) * 1000 / outcome["complete"], 3)
        return outcome


def fetch(url: str, headers: tuple = ()) -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers=dict([PROXY_HEADER, *headers]))
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), dict(response.headers)


def static_check(base: str, html: str) -> dict:
    """The tracking page's stylesheet: a fingerprinted name, served with a far-future lifetime."""
    found = re.search(r'href="(/static/css/tracking\.[0-9a-f]{12}\.css)"', html)
    if found is None:
        return {"fingerprinted": False}
    _, headers = fetch(base + found.group(1))
    return {"fingerprinted": True, "url": found.group(1), "cache_control": headers.get("Cache-Control")}


def ab_command(url: str, requests: int, clients: int, headers: list, gnuplot: str | None = None) -> list[str]:
    command = ["ab", "-q", "-n", str(requests), "-c", str(clients), "-s", "10"]
    for name, value in [PROXY_HEADER, *headers]:
        command += ["-H", f"{name}: {value}"]
    if gnuplot:
        command += ["-g", gnuplot]
    return [*command, url]


def ab(url: str, requests: int, *, headers: list = (), expect_status: int = 200) -> dict:
    output = subprocess.run(
        ab_command(url, requests, CLIENTS, list(headers)), capture_output=True, text=True, check=True
    ).stdout

    def number(label: str) -> float:
        found = re.search(rf"^{label}:\s+([\d.]+)", output, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", output, re.MULTILINE))
    complete, failed, non_2xx = (
        int(number("Complete requests")),
        int(number("Failed requests")),
        int(number("Non-2xx responses")),
    )
    unexpected = non_2xx if expect_status < 300 else complete - non_2xx
    if failed or unexpected:
        common.refuse("tracking_page", f"{url}: {failed} failed, {unexpected} not {expect_status}\n{output}")
    return {
        "requests_per_second": round(number("Requests per second")),
        "complete": complete,
        "p50_ms": int(percentiles["50"]),
        "p95_ms": int(percentiles["95"]),
        "p99_ms": int(percentiles["99"]),
    }


def spread(urls: list[str]) -> dict:
    """One ab process with one client per page, all at once; times of every request merged."""
    each = max(1, REQUESTS // len(urls))
    with tempfile.TemporaryDirectory() as folder:
        files = [str(Path(folder) / f"{n}.tsv") for n in range(len(urls))]
        started = time.monotonic()
        runs = [
            subprocess.Popen(ab_command(url, each, 1, [], gnuplot), stdout=subprocess.PIPE, text=True)
            for url, gnuplot in zip(urls, files, strict=True)
        ]
        outputs = [run.communicate()[0] for run in runs]
        seconds = time.monotonic() - started
        for run, output in zip(runs, outputs, strict=True):
            if run.returncode or "Non-2xx" in output or not re.search(r"^Failed requests:\s+0$", output, re.MULTILINE):
                common.refuse("tracking_page", f"an ab process of the spread run failed\n{output}")
        times = sorted(int(line.split("\t")[4]) for name in files for line in Path(name).read_text().splitlines()[1:])
    cut = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests_per_second": round(len(times) / seconds),
        "complete": len(times),
        "pages": len(urls),
        "p50_ms": round(cut[49]),
        "p95_ms": round(cut[94]),
        "p99_ms": round(cut[98]),
    }


def median_run(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda run: run["requests_per_second"])[len(runs) // 2]
    return {**middle, "rounds_requests_per_second": [run["requests_per_second"] for run in runs]}


if __name__ == "__main__":
    main()
