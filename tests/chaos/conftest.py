"""What the fault tests share: a throwaway redis-server on a free port (never the shared 6379),
a fake Twilio on loopback that can hold a request until told (or until the worker is killed),
and real `celery worker` subprocesses against them and the test database (PostgreSQL)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from celery import Celery
from django.db import connection
from kombu import Connection

from config.queues import QUEUE_NAMES, TASK_ROUTES
from tests.conftest import IN_CI, redis_url_or_skip, require_postgres, wait_for

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2
EVIDENCE_SECONDS = 2  # the workers' evidence window: a dead sender's messages go again after both
VISIBILITY_SECONDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """redis-server on its own port and folder, with an append-only file so a restart keeps the queue."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path / f"redis-{self.port}"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.ping, timeout=15), "throwaway redis did not start"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # redis flushes the append-only file on SIGTERM
            self.process.wait(timeout=15)
        self.process = None


@pytest.fixture
def throwaway_redis(tmp_path):
    redis_url_or_skip()  # CI=true: must run; elsewhere: skip without Redis
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("CI=true but redis-server is not installed")
        pytest.skip("needs redis-server")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def serve_on_loopback(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """A fake provider's server on a free loopback port, serving on a daemon thread, and its URL.
    A listen backlog for a whole send wave (32 calls at once), not the default 5: the fake must
    not refuse connections that a real provider would take."""
    server = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 128})(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class FakeTwilio:
    """Twilio's Messages endpoint on loopback. `hold_next` makes the next request wait (the worker
    sending it is killed meanwhile): it is recorded, and never answered with an acceptance.
    `delay`: seconds every answer takes (a provider that answers slowly). `garble`: message ids
    whose next answer is an acceptance nested too deep to parse (an arbitrary exception in the
    sender's call). Each request notes our message id (the `m` of its StatusCallback URL), when
    it arrived and when its answer was written."""

    def __init__(self):
        self.requests: list[dict] = []
        self.accepted: list[str] = []
        self.hold_next = False
        self.release = threading.Event()
        self.delay = 0.0
        self.garble: set[int] = set()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                callback = parse_qs(body).get("StatusCallback", [""])[0]
                message_id = int(parse_qs(urlsplit(callback).query).get("m", ["0"])[0])
                with fake.lock:
                    held, fake.hold_next = fake.hold_next, False
                    garbled = message_id in fake.garble
                    fake.garble.discard(message_id)
                    request = {"path": self.path, "body": body, "held": held, "at": time.time(),
                               "message_id": message_id, "answered_at": None}
                    fake.requests.append(request)
                if held:
                    fake.release.wait(timeout=60)
                    return  # no answer: the connection just closes
                time.sleep(fake.delay)
                if garbled:
                    payload = b"[" * 100_000 + b"]" * 100_000
                else:
                    with fake.lock:
                        sid = f"SM{len(fake.accepted) + 1:032d}"
                        fake.accepted.append(sid)
                    payload = json.dumps({"sid": sid, "status": "queued"}).encode()
                try:
                    self.send_response(201)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the worker died waiting: Twilio has the message all the same
                request["answered_at"] = time.time()

            def log_message(self, *args):
                pass

        self.server, self.url = serve_on_loopback(Handler)

    def calls_per_message(self) -> Counter:
        with self.lock:
            return Counter(request["message_id"] for request in self.requests)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


class Workers:
    """`celery worker` subprocesses (solo pool) against the throwaway Redis and the test database."""

    def __init__(self, broker_url: str, twilio_url: str, log_dir: Path):
        db = connection.settings_dict
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "CACHE_URL")},
            "DJANGO_SETTINGS_MODULE": "tests.chaos.worker_settings",
            "DEBUG": "false",
            "SECRET_KEY": "chaos-worker-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "localhost",
            "PUBLIC_BASE_URL": "https://parcelcast.test",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "CACHE_URL": "locmemcache://chaos",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
            "MESSAGE_SEND_LEASE_SECONDS": str(LEASE_SECONDS),
            "MESSAGE_EVIDENCE_WINDOW_SECONDS": str(EVIDENCE_SECONDS),
            "MESSAGE_STUCK_AFTER_SECONDS": "1",
            "TWILIO_ACCOUNT_SID": "ACchaos", "TWILIO_AUTH_TOKEN": "chaos-token",
            "TWILIO_FROM_NUMBER": "+3197010000000", "TWILIO_API_BASE_URL": twilio_url,
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
        }
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-c", "1",
             "-Q", ",".join(QUEUE_NAMES), "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO",
             "-n", f"chaos{len(self.processes)}-{os.getpid()}@localhost"],
            cwd=ROOT, env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        assert wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, timeout=90), \
            log.read_text()[-3000:]
        assert process.poll() is None, log.read_text()[-3000:]
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=15)

    def stop_all(self) -> None:
        # Warm shutdown: the worker closes its database connections, so the test database can be dropped.
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=15)

    def logs(self) -> str:
        return "\n".join(p.log.read_text()[-4000:] for p in self.processes)


@pytest.fixture
def workers(throwaway_redis, fake_twilio, tmp_path):
    require_postgres()
    group = Workers(throwaway_redis.url, fake_twilio.url, tmp_path)
    yield group
    group.stop_all()


def enqueue(broker_url: str, task: str, *args) -> None:
    """Send a task by name through the throwaway broker (not the project's app: its broker stays).
    The connection is explicit: Celery lets a CELERY_BROKER_URL environment variable win otherwise."""
    client = Celery(set_as_current=False)
    try:
        with Connection(broker_url) as connection_:
            client.send_task(task, args=list(args), queue=TASK_ROUTES[task]["queue"], connection=connection_)
    finally:
        client.close()
