"""Settings, read strictly from the environment (or a `.env` file) with django-environ.

Every variable is documented in `.env.example`. With DEBUG on (`make run`), defaults are the
zero-setup ones (SQLite, a file-system Celery broker); with DEBUG off, start-up stops without
DATABASE_URL, CELERY_BROKER_URL and SECRET_KEY (ALLOW_EMBEDDED_SERVICES=true keeps the embedded
database and broker, on purpose). Production also sets ALLOWED_HOSTS and PUBLIC_BASE_URL.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from config.beat import BEAT_SCHEDULE
from config.queues import DEFAULT_QUEUE, TASK_QUEUES, TASK_ROUTES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: a value that is neither clearly true nor clearly false is an error."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-secret-key-never-use-in-production-0123456789"

# The embedded database and broker (a SQLite file, a file-system broker under var/) are for one
# machine: with DEBUG off they are used only when asked for, never because a URL was forgotten.
ALLOW_EMBEDDED_SERVICES = env_bool("ALLOW_EMBEDDED_SERVICES", default=DEBUG)


def service_url(name: str, embedded: str) -> str:
    """The URL in `name`, or the embedded service's when that is allowed."""
    url = env.str(name, default="")
    if url:
        return url
    if not ALLOW_EMBEDDED_SERVICES:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (or ALLOW_EMBEDDED_SERVICES=true for the embedded one).")
    return embedded


ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_BASE_URL])
# Base of the SMS short links `/s/<code>` (a short domain served by this app; unset: PUBLIC_BASE_URL).
SHORT_LINK_BASE_URL = env.str("SHORT_LINK_BASE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_htmx",
    "brands",
    # Outbound webhooks: below tracking and messaging, which publish to it (webhooks_out/__init__.py).
    "webhooks_out",
    "tracking",
    "messaging",
    "billing",
    # The composition root's own hooks (cross-app wiring that no app may do itself): config/apps.py.
    "config.apps.PlatformConfig",
]

MIDDLEWARE = [
    # Outermost: request latency per route pattern, whatever answers (core/metrics/middleware.py).
    "core.metrics.middleware.RequestLatencyMiddleware",
    # An oversized request is refused from its Content-Length before anything reads it.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The panel's language: the member's saved choice, else the browser's (after authentication).
    "brands.panel.language.PanelLanguageMiddleware",
    # The panel's clock: the account's time zone (reuses the account the line above loaded).
    "brands.panel.time_zone.PanelTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who acts in this request, for the audit log of services called without an explicit actor.
    "brands.audit.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brands.context_processors.current_account",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(service_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'parcelcast.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before reuse (a database restart must not fail the next request or task).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout gate runs first: a locked (username, IP) pair is refused before any password is checked,
# on the panel login and the admin login alike (brands/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "brands.login_throttle.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/app/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# The merchant panel's languages, each named in itself for the pickers (brands/panel/language.py
# chooses one per request for /app/ and /accounts/ only; the API and shopper pages keep their own).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("nl", "Nederlands"),
             ("es", "Español"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Debug/dev serves static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail ------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds an SMTP connect, read or write may block (Django's SMTP backend): a mail server that
# stops answering fails the send, to be retried, instead of holding a worker for ever.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)
if not 0 < EMAIL_TIMEOUT < float("inf"):
    raise ImproperlyConfigured(f"EMAIL_TIMEOUT={EMAIL_TIMEOUT} must be a number of seconds above 0.")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Parcelcast <notifications@parcelcast.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# A panel session ends with the browser, and at the latest SESSION_COOKIE_AGE after log-in.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (core/middleware.py). Scripts only from our own origin (the panel loads
# htmx and panel.js as files; no inline <script>). Styles also allow 'unsafe-inline': templates use
# style="" attributes (brand colours, chart positions) and htmx injects its indicator <style>.
# The one inline handler (the invoice page's Print button) is allowed by its hash alone.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", default=False)
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-hashes'", "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"],
    "style-src": ["'self'", "'unsafe-inline'"],
    # Brand logos are https links the merchant gives; data: for small inline icons.
    "img-src": ["'self'", "https:", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Request bodies: the biggest legitimate one is a bulk of 1,000 tracking events (~300 KB).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
# Rate limits and the login lockout key on the client address this gives.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # /healthz is probed, and /metrics scraped, over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "brands.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["brands.scoping.HasAccount"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser refusing bodies nested too deep and NUL characters, naming the field (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    # OPTIONS describes the view's InputSerializer (core/api_metadata.py).
    "DEFAULT_METADATA_CLASS": "core.api_metadata.ApiMetadata",
    # drf-spectacular's AutoSchema, plus the 4xx answers every operation can give (core/api_schema.py).
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Per API key (or member session); failed key checks per client address (brands/authentication.py).
    # Rates come from THROTTLE_RATES below (read at request time, so tests can change them).
    "DEFAULT_THROTTLE_CLASSES": ["brands.throttling.ApiKeyRateThrottle"],
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Parcelcast API",
    "DESCRIPTION": "Shipments, tracking events, notification settings, messages, usage and invoices.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per shared choice set (the status taxonomy is used by several models).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "tracking.statuses.Status",
        "LanguageEnum": "brands.models.Language",
        "ChannelEnum": "messaging.models.channels.Channel",
        "MessageStateEnum": "messaging.models.messages.MessageState",
        "ShopperRequestStateEnum": "messaging.models.shopper_requests.ShopperRequestState",
        "ShopperRequestKindEnum": "messaging.models.shopper_requests.ShopperRequestKind",
        "WebhookEventEnum": "webhooks_out.models.EventType",
    },
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = service_url("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # How long a task taken by a worker that died (SIGKILL, lost host) waits before redelivery.
    # Recovery does not wait for it: the sweepers find lost planning (status entries) and sends
    # (queued messages) within minutes. Ten minutes, not an hour, so that a redelivered task
    # still comes soon. An acks_late task that runs longer than this is handed to a second
    # worker while the first still runs: harmless, since planning takes its entries with row
    # locks and a send needs the message's claim. Keep it above MESSAGE_SEND_LEASE_SECONDS +
    # MESSAGE_EVIDENCE_WINDOW_SECONDS (480 s): a redelivered send then finds the lease expired.
    else {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
)
if CELERY_BROKER_URL.startswith("filesystem"):
    (BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = False  # only the test settings turn this on, explicitly
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# Queues by kind of work and each task's route (config/queues.py): a burst of one kind never
# waits in front of another. A worker without -Q consumes them all (`make run`).
CELERY_TASK_QUEUES = TASK_QUEUES
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_ROUTES = TASK_ROUTES
# With this set, config/celery.py recycles database connections as Django does after a request
# (CONN_MAX_AGE), not Celery's Django fix-up around every task (it still closes them this often).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # our LOGGING (its personal-data mask) stays in force
# A worker process's collector: its youngest generation scanned every this many allocations (0:
# CPython's default, 700), what the process inherited frozen (config/celery.py).
WORKER_GC_THRESHOLD = env.int("WORKER_GC_THRESHOLD", default=10_000)
# A sender's claim on a message: no other worker sends it before this, then the evidence window,
# have passed (messaging/dispatch/sending.py).
MESSAGE_SEND_LEASE_SECONDS = env.int("MESSAGE_SEND_LEASE_SECONDS", default=300)
# How long an attempt whose answer was lost (worker died, timeout after the request left) waits
# for a provider status webhook showing it was taken, before it may be sent again.
MESSAGE_EVIDENCE_WINDOW_SECONDS = env.int("MESSAGE_EVIDENCE_WINDOW_SECONDS", default=180)
# Provider calls in flight at once per worker process; each acceptance is recorded as its answer
# arrives, so a crash leaves at most this many attempts ambiguous. Keep it small.
MESSAGE_SEND_CONCURRENCY = env.int("MESSAGE_SEND_CONCURRENCY", default=16)
# The outbox sweeper sends queued messages nobody holds once they are this old.
MESSAGE_STUCK_AFTER_SECONDS = env.int("MESSAGE_STUCK_AFTER_SECONDS", default=120)

# --- Send decisions (what is news): config/news_settings.py --------------------------------
from config.news_settings import *  # noqa: E402,F401,F403  (EVENT_MAX_FUTURE_SECONDS, NEWS_WINDOWS)
# --- Cache and rate limits ----------------------------------------------------------------
# CACHE_URL in django-environ form (redis://host:6379/1, locmem://, dummy://). Default: the broker's
# Redis server on the next database number, else local memory (one process: fine for zero-setup).
def _default_cache_url(broker_url: str) -> str:
    parts = urlsplit(broker_url)
    if parts.scheme not in ("redis", "rediss"):
        return "locmemcache://parcelcast"
    db = parts.path.strip("/")
    number = (int(db) + 1) % 16 if db.isdigit() else 1
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", "", ""))


CACHES = {"default": env.cache_url("CACHE_URL", default=_default_cache_url(CELERY_BROKER_URL))}
CACHES["default"].setdefault("KEY_PREFIX", "pc")
# Seconds a rendered tracking page stays in the cache (keyed by its version: a change shows at once;
# tracking/page_cache.py). 0: render on every request.
TRACKING_PAGE_CACHE_SECONDS = env.int("TRACKING_PAGE_CACHE_SECONDS", default=60)
# Seconds a worker serves a page it served before without asking for its version (no query): how
# late a change may show at most. 0: every request asks.
TRACKING_PAGE_FRESH_SECONDS = env.float("TRACKING_PAGE_FRESH_SECONDS", default=1.0)
# Where rate limits keep their sliding logs (core/ratelimit.py, the `limits` library): a redis:// URL
# (default: the cache's Redis) or memory:// (one process only: the zero-setup default).
RATELIMIT_STORAGE_URL = env.str(
    "RATELIMIT_STORAGE_URL",
    default=CACHES["default"]["LOCATION"] if "redis" in CACHES["default"]["BACKEND"].lower() else "memory://",
)
# Request rates per client, key and address: config/ratelimit_settings.py (THROTTLE_RATES).
from config.ratelimit_settings import *  # noqa: E402,F401,F403

# --- Providers and carriers: config/provider_settings.py -------------------------------------
from config.provider_settings import *  # noqa: E402,F401,F403
# --- Metrics (core/metrics, README "Operating Parcelcast") and logs: config/observability_settings.py
from config.observability_settings import *  # noqa: E402,F401,F403
