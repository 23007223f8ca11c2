"""The floor of bench_open311: a bare Django project whose one view inserts one row."""

from __future__ import annotations

import os

import dj_database_url

SECRET_KEY = "bench-floor-not-a-secret"  # noqa: S105 - a throwaway benchmark project
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["bench.open311.floor"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.open311.floor.urls"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("KP_DB_CONN_MAX_AGE", "0"))
    )
}
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
