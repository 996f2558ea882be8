"""Test settings: the real settings plus what tests need made explicit (eager tasks, fast hashing)."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijkl")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Off CI, tests may run on the embedded SQLite file and broker (CI sets both URLs).
os.environ.setdefault("ALLOW_EMBEDDED_SERVICES", "true")
# A fixed key (DEBUG is off in tests, so none is derived); tests of rotation set their own.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "cGFyY2VsY2FzdC10ZXN0LWZpZWxkLWtleS0wMDAwMDA=")

# Meta's 24-hour messaging limit counts shoppers across tests (and runs, in Redis): unlimited
# unless a test of the limit sets its own.
os.environ.setdefault("WHATSAPP_MESSAGING_LIMIT", "0")

from config.settings import *  # noqa: E402,F401,F403

SECURE_SSL_REDIRECT = False
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PUBLIC_BASE_URL = "https://parcelcast.test"
# Test receivers are local (and `responses` never resolves names); the refusal tests switch it off.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# One process, no shared server: rate-limit counters and lockouts never leak between test runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "parcelcast-tests"}}
RATELIMIT_STORAGE_URL = "memory://"  # likewise; the Redis test of the limits sets its own
# Generous rates: suites make many requests from one address. Tests of the limits set their own.
THROTTLE_RATES = {scope: "100000/m" for scope in THROTTLE_RATES}  # noqa: F405
# Worker threads in tests (real Celery workers) close their connections after each task,
# so the test database can be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
TRACKING_PAGE_FRESH_SECONDS = 0  # every request asks for the page's version (tests of the cache turn it on)
