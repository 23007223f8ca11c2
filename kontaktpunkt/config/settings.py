"""Django settings, driven by the environment (see docs/configuration in README.md).

KP_ENV=production turns on the production checks: a secret key must be given and debug must be off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.core.exceptions import ImproperlyConfigured

from kontaktpunkt.config.env import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("KP_DATA_DIR", str(BASE_DIR / "var"))).resolve()

KP_ENV = env_str("KP_ENV", "development")
PRODUCTION = KP_ENV == "production"

DEBUG = env_bool("KP_DEBUG", default=False)
SECRET_KEY = env_str("KP_SECRET_KEY", "")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("KP_ENV=production needs KP_SECRET_KEY to be set.")
    if DEBUG:
        raise ImproperlyConfigured("KP_ENV=production refuses to run with KP_DEBUG on.")
elif not SECRET_KEY:
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("KP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "kontaktpunkt.core",
    "kontaktpunkt.accounts",
    "kontaktpunkt.geo",
    "kontaktpunkt.classify",
    "kontaktpunkt.intake",
    "kontaktpunkt.cases",
    "kontaktpunkt.roster",
    "kontaktpunkt.routing",
    "kontaktpunkt.open311",
    "kontaktpunkt.public",
    "kontaktpunkt.mailin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kontaktpunkt.core.middleware.HtmxVaryMiddleware",
]

# The machine-facing API (/georeport/) is served by a lean handler (config/wsgi.py): no sessions,
# CSRF, messages or htmx, which no API client uses.
KP_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kontaktpunkt.core.middleware.ApiUrlconfMiddleware",
]

ROOT_URLCONF = "kontaktpunkt.config.urls"
WSGI_APPLICATION = "kontaktpunkt.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kontaktpunkt.core.context_processors.tenant",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    # Connections are kept open between requests: opening one per request costs more than the request
    # itself — on SQLite closing the last one also checkpoints the WAL. A connection that broke (a
    # database restart) fails one request and is then replaced; KP_DB_HEALTH_CHECKS=1 tests each one
    # before a request instead, at the price of one more round trip per request.
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=env_int("KP_DB_CONN_MAX_AGE", 600),
            conn_health_checks=env_bool("KP_DB_HEALTH_CHECKS", False),
        )
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start
        # of a transaction, so that two writers queue instead of failing half-way with "locked".
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config.setdefault("TEST", {})["NAME"] = env_str("KP_SQLITE_TEST_NAME", "") or None
    return config


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kontaktpunkt.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "kontaktpunkt.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    # Third-party front-end files from pinned PyPI packages (no npm, no CDN).
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# "smtp" sends through EMAIL_HOST; "file" writes each mail to KP_DATA_DIR/mail (the default outside
# production, so that a demo never fails to deliver and its mails can be read).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS[env_str("KP_EMAIL_BACKEND", "smtp" if PRODUCTION else "file")]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("KP_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("KP_EMAIL_PORT", 1025)
DEFAULT_FROM_EMAIL = env_str("KP_DEFAULT_FROM_EMAIL", "kontaktpunkt@localhost")
# Seconds before a mail server that does not answer counts as down (the job is retried later).
EMAIL_TIMEOUT = env_int("KP_EMAIL_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Tenant: everything that makes this installation a given city is configuration. ---
KP_TENANT = env_str("KP_TENANT", "krefeld")
KP_REFERENCE_PREFIX = env_str("KP_REFERENCE_PREFIX", "KP")
KP_STATE_HOLIDAYS = env_str("KP_STATE_HOLIDAYS", "NW")
# Leaflet tile URL; empty means the map draws without a background layer (tests, offline demos).
KP_MAP_TILE_URL = env_str("KP_MAP_TILE_URL", "")
KP_MAP_TILE_ATTRIBUTION = env_str("KP_MAP_TILE_ATTRIBUTION", "")

# The public reporting form: abuse protections that need no third-party service.
KP_PUBLIC_REPORTS_PER_ADDRESS = env_int("KP_PUBLIC_REPORTS_PER_ADDRESS", 20)  # per hour
KP_PUBLIC_REPORTS_PER_EMAIL = env_int("KP_PUBLIC_REPORTS_PER_EMAIL", 5)  # per hour
KP_PUBLIC_SUGGESTIONS_PER_MINUTE = env_int("KP_PUBLIC_SUGGESTIONS_PER_MINUTE", 120)
KP_PUBLIC_MIN_FILL_SECONDS = env_int("KP_PUBLIC_MIN_FILL_SECONDS", 3)

# The Open311 GeoReport v2 server.
KP_OPEN311_JURISDICTION = env_str("KP_OPEN311_JURISDICTION", "krefeld.de")
KP_OPEN311_CONTACT = env_str("KP_OPEN311_CONTACT", DEFAULT_FROM_EMAIL)
KP_OPEN311_KEY_SERVICE = env_str("KP_OPEN311_KEY_SERVICE", "")  # empty: a German sentence
# Seconds a server process answers POSTs from its service catalogue before asking whether the
# categories changed (a change in the admin reaches every process at the latest then).
KP_OPEN311_CATALOGUE_RECHECK_S = env_int("KP_OPEN311_CATALOGUE_RECHECK_S", 2)
# While more Open311 requests than this arrive per second, the worker defers their intake (the web
# server keeps the CPU), but the oldest waiting request waits at most KP_OPEN311_INTAKE_DEFER_MAX_S.
KP_OPEN311_INTAKE_BURST_PER_S = env_int("KP_OPEN311_INTAKE_BURST_PER_S", 50)
KP_OPEN311_INTAKE_DEFER_MAX_S = env_int("KP_OPEN311_INTAKE_DEFER_MAX_S", 30)
# How much lower the worker's CPU priority is than the web server's (nice); 0 keeps it equal.
KP_WORKER_NICE = env_int("KP_WORKER_NICE", 10)
# Seconds a partner's Open311 server has to answer a forward before the worker tries again later.
KP_FORWARD_TIMEOUT_S = env_int("KP_FORWARD_TIMEOUT_S", 10)
# Loops of one `kontaktpunkt worker` side by side (each claims its own jobs; decision 0005).
KP_WORKER_THREADS = env_int("KP_WORKER_THREADS", 2)
# How long a claimed job belongs to its worker; a crashed worker's job is taken over after this.
KP_JOB_LEASE_S = env_int("KP_JOB_LEASE_S", 300)
KP_JOB_MODULES: list[str] = [
    "kontaktpunkt.core.mail",
    "kontaktpunkt.core.maintenance",
    "kontaktpunkt.cases.jobs",
    "kontaktpunkt.open311.jobs",
    "kontaktpunkt.mailin.jobs",
    "kontaktpunkt.routing.jobs",
    "kontaktpunkt.roster.jobs",
]
# Jobs the worker enqueues periodically: kind -> interval in seconds (one job per time slot).
KP_PERIODIC_JOBS: dict[str, int] = {
    "open311.intake": env_int("KP_OPEN311_INTAKE_INTERVAL", 2),
    "routing.poll": env_int("KP_FORWARD_POLL_INTERVAL", 300),
    "cases.escalate_overdue": env_int("KP_ESCALATION_INTERVAL", 300),
    "core.prune": 3600,
    "mailin.poll": env_int("KP_IMAP_INTERVAL", 60),
}
# E-mail intake: the worker reads this IMAP mailbox (an empty host turns it off). Security: tls
# (port 993), starttls (143) or plain (tests on 127.0.0.1 only). Processed mails get the keyword
# KP_IMAP_PROCESSED_FLAG and, if KP_IMAP_PROCESSED_FOLDER is set, are moved to that folder.
KP_IMAP_HOST = env_str("KP_IMAP_HOST", "")
KP_IMAP_SECURITY = env_str("KP_IMAP_SECURITY", "tls").strip().lower()
KP_IMAP_PORT = env_int("KP_IMAP_PORT", 993 if KP_IMAP_SECURITY == "tls" else 143)
KP_IMAP_USER = env_str("KP_IMAP_USER", "")
KP_IMAP_PASSWORD = env_str("KP_IMAP_PASSWORD", "")
KP_IMAP_MAILBOX = env_str("KP_IMAP_MAILBOX", "INBOX")
KP_IMAP_PROCESSED_FLAG = env_str("KP_IMAP_PROCESSED_FLAG", "$KontaktpunktImported")
KP_IMAP_PROCESSED_FOLDER = env_str("KP_IMAP_PROCESSED_FOLDER", "")
# Where people reach this installation; used for links in e-mails.
KP_BASE_URL = env_str("KP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Largest image accepted, in pixels (width x height); larger ones are refused before decoding.
KP_UPLOAD_MAX_PIXELS = env_int("KP_UPLOAD_MAX_PIXELS", 24_000_000)  # phone photos: ~12 MP
# Largest upload accepted (attachments, photos), in bytes; larger ones are refused with HTTP 413.
KP_UPLOAD_MAX_BYTES = env_int("KP_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
