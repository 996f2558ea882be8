"""A fresh checkout: `make run`, then the README's first steps, as written, on another port.

The checkout is a copy of this working tree (its files, this virtualenv) in a temporary directory,
with none of the settings' variables in the environment: what a newcomer has."""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_VARIABLES = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "PUBLIC_BASE_URL",
                      "SHORT_LINK_BASE_URL", "ALLOWED_HOSTS", "ALLOW_EMBEDDED_SERVICES", "DJANGO_SETTINGS_MODULE",
                      "HOST", "PORT", "EMAIL_URL")


def newcomer_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return {**env, **extra}


def run(checkout: Path, command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, cwd=checkout, env=newcomer_env(**env), capture_output=True,
                          text=True, timeout=600, check=False)


def readme_command(name: str) -> str:
    """The README's first-steps command line that runs `name`."""
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith(".venv/bin/python manage.py " + name):
            return line
    raise AssertionError(f"the README's first steps have no `manage.py {name}`")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of the tree (tracked and new files), this virtualenv, and `make seed` done in it."""
    target = tmp_path_factory.mktemp("checkout")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to((ROOT / ".venv").resolve())
    port = str(_free_port())
    result = run(target, "make seed", PORT=port)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (target / "port").write_text(port)
    return target


def test_make_run_derives_the_public_base_url_from_host_and_port(checkout):
    on_8101 = run(checkout, "make -n run", PORT="8101")
    given = run(checkout, "make -n run", PORT="8101", PUBLIC_BASE_URL="https://parcelcast.example.com")

    assert "PUBLIC_BASE_URL=http://127.0.0.1:8101 " in on_8101.stdout
    assert "PUBLIC_BASE_URL=https://parcelcast.example.com " in given.stdout


def test_createaccount_works_as_the_readme_shows_without_debug_in_the_environment(checkout):
    result = run(checkout, readme_command("createaccount"))

    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["user"] == "owner@acme.example" and created["api_key"].startswith("pc_")


def test_invoice_on_the_demo_makes_an_invoice_at_once(checkout):
    result = run(checkout, readme_command("invoice"))

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["invoices_created"] >= 1 and report["charges_billed"] > 0


def test_the_readme_lists_the_sandbox_numbers_of_the_sandbox_provider():
    from messaging.providers.sandbox import MAGIC_RECIPIENTS

    readme = (ROOT / "README.md").read_text()
    for row in MAGIC_RECIPIENTS:
        assert "| " + " | ".join(row) + " |" in readme


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(checkout: Path) -> tuple[subprocess.Popen, int]:
    """`make run` on the checkout's port, as in a terminal (its own process group), once it answers."""
    port = int((checkout / "port").read_text())
    process = subprocess.Popen("make run", shell=True, cwd=checkout, env=newcomer_env(PORT=str(port)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline, up = time.monotonic() + 120, False
    while time.monotonic() < deadline and not up and process.poll() is None:
        try:
            up = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
        except OSError:
            time.sleep(0.5)
    if not up:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the server never answered: " + process.communicate()[0][-3000:])
    return process, port


def _sms_bodies(checkout: Path) -> list[str]:
    with sqlite3.connect(checkout / "var" / "parcelcast.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT body FROM messaging_message WHERE channel = 'sms'")]


def test_make_run_serves_on_the_chosen_port_with_links_to_it_and_stops_cleanly_on_ctrl_c(checkout):
    process, port = _start(checkout)
    try:
        deadline, bodies = time.monotonic() + 60, []
        while time.monotonic() < deadline and not bodies:  # the worker plans the demo's messages
            time.sleep(1)
            bodies = _sms_bodies(checkout)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        output, _ = process.communicate(timeout=60)

    assert bodies and all(f"http://127.0.0.1:{port}/s/" in body for body in bodies), bodies[:3]
    assert f"http://127.0.0.1:{port}/app/" in output
    assert "demo@parcelcast.test / trailhead-2026" in output
    assert re.search(r"Admin login: .*/admin/ +admin@parcelcast.test / trailhead-admin-2026", output)
    # make, Ctrl-C'd itself, ends by the signal (status 130 in the shell) but reports no error
    assert process.returncode in (0, -signal.SIGINT), output[-3000:]
    assert "Parcelcast stopped." in output and "make: ***" not in output, output[-3000:]


def test_a_sigterm_to_the_processes_alone_ends_make_run_without_error_143(checkout):
    process, _ = _start(checkout)
    try:
        honcho = subprocess.run(["pgrep", "-g", str(process.pid), "-f", "honcho start"], capture_output=True, check=False,
                                text=True).stdout.split()
        assert honcho, "no honcho process"
        os.kill(int(honcho[0]), signal.SIGTERM)  # a supervisor stopping the processes, not make
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode == 0, output[-3000:]
    assert "Error 143" not in output and "make: ***" not in output
