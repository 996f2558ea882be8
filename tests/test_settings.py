"""Settings are strict: production refuses defaults, and `check --deploy` is clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "q8Zr3x!vT1p@LkW9mN2b#Hc6yJ4sF7dG0aE5uR8iO3wQ1zX_tY-production-like",
    "ALLOWED_HOSTS": "parcelcast.example.com",
    "PUBLIC_BASE_URL": "https://parcelcast.example.com",
    "DATABASE_URL": "sqlite:////tmp/parcelcast-deploy-check.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",  # only named: nothing here connects
}
# What the environment of the test run may hold that the settings read.
SETTINGS_ENV = (*PRODUCTION_ENV, "ALLOW_EMBEDDED_SERVICES", "EMAIL_URL", "EMAIL_TIMEOUT", "DJANGO_SETTINGS_MODULE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return python("manage.py", *args, **env)


def python(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_an_error_not_false():
    result = manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})

    assert result.returncode != 0


def settings_values(code: str, **env: str) -> list:
    """`code` (an expression over `settings` and `get_connection`) after `django.setup()` with `env`."""
    result = python("-c", f"import django, json; django.setup(); from django.conf import settings; "
                          f"from django.core.mail import get_connection; print(json.dumps({code}))", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def without(*names: str) -> dict:
    return {k: v for k, v in PRODUCTION_ENV.items() if k not in names}


def test_production_refuses_to_start_without_a_database_url():
    result = manage("check", **without("DATABASE_URL"))

    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_a_broker_url():
    result = manage("check", **without("CELERY_BROKER_URL"))

    assert result.returncode != 0
    assert "ImproperlyConfigured: CELERY_BROKER_URL must be set" in result.stderr


def test_production_runs_on_the_embedded_database_and_broker_only_when_told_to():
    values = settings_values("[settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL]",
                             **without("DATABASE_URL", "CELERY_BROKER_URL"), ALLOW_EMBEDDED_SERVICES="true")

    assert values == ["django.db.backends.sqlite3", "filesystem://"]


def test_development_needs_no_url_at_all():
    values = settings_values("[settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL]", DEBUG="true")

    assert values == ["django.db.backends.sqlite3", "filesystem://"]


def test_email_timeout_reaches_the_smtp_backend():
    code = "[type(get_connection()).__module__, get_connection().timeout]"
    smtp = {**PRODUCTION_ENV, "EMAIL_URL": "smtp+tls://user:secret@smtp.example.test:587"}

    assert settings_values(code, **smtp) == ["django.core.mail.backends.smtp", 10.0]
    assert settings_values(code, **smtp, EMAIL_TIMEOUT="2.5") == ["django.core.mail.backends.smtp", 2.5]


def test_an_email_timeout_that_is_not_a_positive_number_stops_start_up():
    for value in ("0", "-1", "ten"):
        assert manage("check", **PRODUCTION_ENV, EMAIL_TIMEOUT=value).returncode != 0
