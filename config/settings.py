"""Settings for Borderless, read from the environment (12-factor).

One module for every place the platform runs; production differs from development
only by environment variables. ``DJANGO_ENV`` picks the profile:

- ``development`` (default): DEBUG on, console e-mail, readable logs;
- ``test``: what the test suite sets (see ``config/settings_test.py``);
- ``production``: DEBUG off, HTTPS-only cookies, HSTS, JSON logs; ``SECRET_KEY`` and
  ``ALLOWED_HOSTS`` must be given, and ``manage.py check --deploy`` reports nothing.

A bad value fails at start-up with ``ImproperlyConfigured``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

# Lets admin and generic classes be subscripted for mypy (ModelAdmin[Vacancy]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

PROFILES = ("development", "test", "production")
DJANGO_ENV: str = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in PROFILES:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be one of {', '.join(PROFILES)}, not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY: str = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of random text")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="development-only-key-not-for-production-" + "x" * 20
    )

DEBUG: bool = env.bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) the platform answers on")
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "taxonomy",
    "accounts",
    "seekers",
    "vacancies",
    "matching",
    "notifications",
    # The wiring's own table: dead letters of the Celery app (config/models.py).
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp 4; Django's own arrives with Django 6).
    "csp.middleware.CSPMiddleware",
    # Axes last, as its documentation asks: it turns a lockout into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database: PostgreSQL only ----------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/borderless")
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A dropped connection (a restarted PostgreSQL) is noticed before the next request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# 0 stops a web query from starting parallel workers: on a machine of a few cores the
# web processes already use every core, and a search that took three of them made the
# others wait (docs/decisions.md, "Search under load"). Unset leaves the server's value.
DB_MAX_PARALLEL_WORKERS_PER_GATHER: int | None = env.int(
    "DB_MAX_PARALLEL_WORKERS_PER_GATHER", default=None
)
if DB_MAX_PARALLEL_WORKERS_PER_GATHER is not None:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={DB_MAX_PARALLEL_WORKERS_PER_GATHER}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -----------------------------------------------

REDIS_URL: str = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must be a redis:// or rediss:// URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        # Reads miss and writes are dropped while Redis is down, instead of a 500
        # (config/cache.py); a Redis that hangs costs a request at most a second.
        "BACKEND": "config.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "KEY_PREFIX": "borderless",
        "TIMEOUT": 300,
    }
}

# Anonymous answers of the public vacancy search and detail are shared for this long,
# in the cache and by browsers and proxies (Cache-Control); 0 turns that off.
PUBLIC_SEARCH_CACHE_SECONDS: int = env.int("PUBLIC_SEARCH_CACHE_SECONDS", default=30)

# --- Accounts, passwords, login ---------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Five wrong passwords for the same e-mail from the same address lock that pair out;
# the lock clears by itself after the cool-off. A per-address API throttle sits on top.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Who asks, for the lockout and every per-address throttle: the address our own proxy
# appended to X-Forwarded-For (TRUSTED_PROXY_COUNT proxies in front of the web
# processes), never what the client wrote there; REMOTE_ADDR when there is no proxy.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be between 0 and 5")
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Internationalisation ---------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE: str = env.str("TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------

STATIC_URL = "/static/"
# Production serves the collected files (collectstatic); development serves them from
# the source folders through WhiteNoise's finders and needs no STATIC_ROOT.
STATIC_ROOT: Path | None = (
    Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".var" / "static"))) if PRODUCTION else None
)
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Private files (CVs) live outside the web root and are served only through views
# that check who asks.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".var" / "media")))
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# CVs and other uploads: a request body above this is refused before it is read whole.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CV_MAX_BYTES = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DJANGO_ENV == "development" else "memorymail://"
)
EMAIL_BACKEND: str = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST: str = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT: int = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER: str = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD: str = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS: bool = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL: bool = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL: str = env.str(
    "DEFAULT_FROM_EMAIL", default="Borderless <noreply@borderless.test>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API ---------------------------------------------------------------------

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("LOGIN_THROTTLE_RATE", default="20/min"),
        "register": env.str("REGISTER_THROTTLE_RATE", default="10/hour"),
        "saved_search_visitor": env.str("SAVED_SEARCH_VISITOR_THROTTLE_RATE", default="10/hour"),
    },
    "DEFAULT_PAGINATION_CLASS": "config.pagination.Pagination",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # The same rule as accounts.client_ip: X-Forwarded-For is read only as far as our
    # proxies wrote it (None would trust the whole header, so anyone could reset a limit).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "PAGE_SIZE": 20,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX: dict[str, Any] = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Borderless API",
    "DESCRIPTION": "Cross-border job matching for the Eurasian Economic Union.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several fields share one vocabulary; name each enum once in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CEFRLevelEnum": "taxonomy.models.CEFRLevel",
        "EmploymentTypeEnum": "taxonomy.choices.EmploymentType",
        "ISCEDLevelEnum": "seekers.models.ISCEDLevel",
        "UserRoleEnum": "accounts.models.Role",
        "EmployerMemberRoleEnum": "vacancies.models.EmployerMember.Role",
        "VacancyStatusEnum": "vacancies.models.Vacancy.Status",
        "MatchStatusEnum": "matching.models.MatchStatus",
        "MatchStandingEnum": "matching.models.Standing",
        "NotificationKindEnum": "notifications.models.Kind",
        "NotificationFrequencyEnum": "notifications.models.Frequency",
        "DeliveryStatusEnum": "notifications.models.DeliveryStatus",
        "ApplicationStatusEnum": "matching.models.ApplicationStatus",
        "ApplicationPartyEnum": "matching.models.Party",
        "PlacementStatusEnum": "matching.models.PlacementStatus",
        "PlacementDocumentKindEnum": "matching.models.PlacementDocument.DocumentKind",
    },
}

# --- Celery -----------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = timedelta(hours=6)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES: tuple[Queue, ...] = (
    Queue("default"),
    Queue("matching"),
    Queue("notifications"),
)
# Task names start with their app's label, so the route follows the module.
CELERY_TASK_ROUTES = {
    # Telling people about matches is notification work: on the matching queue it would
    # hold the next vacancy's run behind hundreds of messages.
    "matching.announce": {"queue": "notifications"},
    "matching.*": {"queue": "matching"},
    "notifications.*": {"queue": "notifications"},
}
# A task is acknowledged only after it ran; a worker that dies mid-task leaves it in
# Redis, which hands it to another worker once the visibility timeout passes.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TIME_LIMIT", default=180)
CELERY_TASK_ALWAYS_EAGER = False
# A task whose worker process died this many times while running it (redelivered each
# time) is parked as a DeadLetter row instead of being run again (config/celery.py).
CELERY_MAX_DELIVERIES: int = env.int("CELERY_MAX_DELIVERIES", default=5)
if CELERY_MAX_DELIVERIES < 1:
    raise ImproperlyConfigured("CELERY_MAX_DELIVERIES must be at least 1")
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "beat-heartbeat": {"task": "default.heartbeat", "schedule": 30.0},
    # Vacancies past their last day close themselves; hourly, so none stays open long.
    "close-expired-vacancies": {"task": "vacancies.close_expired", "schedule": 3600.0},
    # Matching requests that never reached a worker (Redis was down) are sent again.
    "matching-relay": {"task": "matching.relay", "schedule": 30.0},
    # Deliveries never sent (Redis down) or left by a dead worker; digests on the hour,
    # so that each recipient's local hour lines up.
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "saved-search-alerts": {"task": "vacancies.saved_search_alerts", "schedule": 900.0},
    "notifications-digests": {"task": "notifications.send_digests", "schedule": crontab(minute=0)},
    # Whatever changed without a run since (bulk loads, new rates, a new engine).
    "matching-sweep": {"task": "matching.sweep", "schedule": 600.0},
    "matching-rebuild-index": {
        "task": "matching.rebuild_index",
        "schedule": crontab(hour=3, minute=15),
    },
    # Fetches only the sources an administrator gave a URL and switched on: none by default.
    "federation-fetch": {"task": "vacancies.fetch_sources", "schedule": 900.0},
}

# --- Federation -------------------------------------------------------------------

# Seconds between two requests to one source, and the last day given to an imported
# vacancy whose source names none.
FEDERATION_REQUEST_INTERVAL_SECONDS: float = env.float(
    "FEDERATION_REQUEST_INTERVAL_SECONDS", default=1.0
)
FEDERATION_DEFAULT_OPEN_DAYS: int = env.int("FEDERATION_DEFAULT_OPEN_DAYS", default=30)

# --- Notifications ----------------------------------------------------------------

# Absolute links in e-mail (and the one-click unsubscribe URL, which RFC 8058 wants https).
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or (
    PRODUCTION and not SITE_URL.startswith("https://")
):
    raise ImproperlyConfigured("SITE_URL must be an http(s) URL, https in production")

# A seeker–vacancy pair is told again only when its score rose by this many points.
NOTIFICATIONS_RESCORE_MARGIN: float = env.float("NOTIFICATIONS_RESCORE_MARGIN", default=10.0)
# A delivery due this long without being taken is sent again by the sweep.
NOTIFICATIONS_SWEEP_GRACE_SECONDS: float = env.float(
    "NOTIFICATIONS_SWEEP_GRACE_SECONDS", default=60
)

# A claimed delivery not marked within this time (its worker died) may be sent again;
# longer than a send may take (SMTP and webhook time-outs).
NOTIFICATIONS_DELIVERY_LEASE_SECONDS: float = env.float(
    "NOTIFICATIONS_DELIVERY_LEASE_SECONDS", default=90
)

# --- Matching ---------------------------------------------------------------------

# Candidates kept per vacancy and vacancies kept per seeker, and the lowest score
# that is a match at all.
MATCHING_TOP_SEEKERS: int = env.int("MATCHING_TOP_SEEKERS", default=200)
MATCHING_TOP_VACANCIES: int = env.int("MATCHING_TOP_VACANCIES", default=50)
MATCHING_MIN_SCORE: float = env.float("MATCHING_MIN_SCORE", default=40.0)
# A seeker's edits within this many seconds make one run.
MATCHING_SEEKER_DEBOUNCE_SECONDS: float = env.float("MATCHING_SEEKER_DEBOUNCE_SECONDS", default=60)
# A request due this long without being taken is sent again by the relay.
MATCHING_RELAY_GRACE_SECONDS: float = env.float("MATCHING_RELAY_GRACE_SECONDS", default=120)
# Seekers are split by id over this many shards, each served from queue matching.shardN.
MATCHING_SHARDS: int = env.int("MATCHING_SHARDS", default=1)
MATCHING_INDEX_DIR = Path(env.str("MATCHING_INDEX_DIR", default=str(BASE_DIR / ".var" / "index")))
if not 1 <= MATCHING_SHARDS <= 64:
    raise ImproperlyConfigured("MATCHING_SHARDS must be between 1 and 64")
if not 0 <= MATCHING_MIN_SCORE <= 100:
    raise ImproperlyConfigured("MATCHING_MIN_SCORE must be between 0 and 100")
if MATCHING_SHARDS > 1:
    CELERY_TASK_QUEUES = (
        *CELERY_TASK_QUEUES,
        *(Queue(f"matching.shard{shard}") for shard in range(MATCHING_SHARDS)),
    )

# --- Logging ----------------------------------------------------------------------

LOG_LEVEL: str = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT: str = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Security (production) --------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages load comes from here: no inline script or style, no CDN, no
# framing. Swagger UI's stylesheet draws its icons as data: images.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Borderless -------------------------------------------------------------------

# Where `manage.py seed_demo` and `make run` put the demo users.
DEMO_EMAIL_DOMAIN = "borderless.test"
