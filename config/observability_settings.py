"""Metrics and logs settings (core/metrics, README "Operating Parcelcast"), read from the
environment like the rest of config/settings.py, which imports them. A wrong value stops start-up."""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# What config/settings.py takes (its own `env` and imports stay its own).
__all__ = [
    "LOGGING",
    "LOG_FORMAT",
    "METRICS_ALLOWED_IPS",
    "METRICS_COLLECTORS",
    "METRICS_MULTIPROC_DIRS",
    "METRICS_TOKEN",
]

# /metrics answers 404 unless one of these is set. A bearer token Prometheus sends (at least 32
# characters), and/or the addresses or networks allowed to scrape (client address as for rate limits).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters (or unset to turn /metrics off).")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])


def _check_networks(name: str, values: list[str]) -> None:
    import ipaddress

    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {value!r} is not an address or a network.") from None


_check_networks("METRICS_ALLOWED_IPS", METRICS_ALLOWED_IPS)
# Multiprocess metrics (core/metrics/__init__.py): each role writes to its own PROMETHEUS_MULTIPROC_DIR
# (an environment variable read by prometheus_client itself); the web's /metrics also adds up the
# directories listed here, e.g. the Celery workers' on the same host.
METRICS_MULTIPROC_DIRS = env.list("METRICS_MULTIPROC_DIRS", default=[])
# State read at scrape time: each a class whose collect() yields metric families (config decides, core imports none).
METRICS_COLLECTORS = [
    "messaging.metrics.MessageStateCollector",
    "config.metrics.QueueDepthCollector",
    "config.metrics.BeatCollector",
]
# text (default): one line per record; json: one JSON object per record (python-json-logger). Either way
# phone numbers and e-mail addresses are masked (core/logging_filters.py, core/logging_json.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not a log format (use text or json).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "core.logging_filters.MaskPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "core.logging_json.MaskedJsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
