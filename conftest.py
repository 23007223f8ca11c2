"""Test set-up shared by the whole suite: services the suite needs, fast settings, persona fixtures.

With CI=true a missing PostgreSQL or a missing Chromium is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir
from pytest_django import Settings

pytest_plugins = [
    "kontaktpunkt.testing.personas",
    "kontaktpunkt.testing.smtp",
    "kontaktpunkt.testing.peer",
]

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}
CHROMIUM = Path(os.environ.get("KP_CHROMIUM", "/usr/bin/chromium"))

# Hypothesis keeps its example database and caches under var/ (ignored by git), not in .hypothesis/.
# Shared machines are slow now and then: no per-example deadline. Under CI=true Hypothesis' own "ci"
# profile is in force (no deadline, no example database, derandomised).
set_hypothesis_home_dir(Path(__file__).resolve().parent / "var" / "hypothesis")
if not CI:
    hypothesis_settings.register_profile("kontaktpunkt", deadline=None)
    hypothesis_settings.load_profile("kontaktpunkt")


def pytest_sessionstart(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller has checked already
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        _require_postgresql(url)


def _require_postgresql(url: str) -> None:
    db = dj_database_url.parse(url)
    where = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}"
    try:
        # pytest-django creates the test database from the maintenance database, so that is the
        # one that must answer.
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as exc:
        ci_note = " (CI=true: a missing database is a failure)" if CI else ""
        pytest.exit(
            f"DATABASE_URL points to PostgreSQL at {where}, which does not answer{ci_note}: {exc}",
            returncode=pytest.ExitCode.INTERRUPTED,
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None or CHROMIUM.exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or run `make test`)"
    if CI:
        pytest.fail(f"{reason}; CI=true: browser tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    return CHROMIUM


@pytest.fixture(autouse=True)
def _fast_test_settings(settings: Settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KP_OPEN311_CATALOGUE_RECHECK_S = 0  # tests change categories between requests
    settings.KP_WORKER_NICE = 0  # the worker command runs inside the test process
    # ... on the in-memory test database, which threads cannot share (test_worker runs threads
    # in a worker process of its own)
    settings.KP_WORKER_THREADS = 1


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Indexes and catalogues are cached per process; the test database is rolled back after each test."""
    from kontaktpunkt.core.process_cache import process_caches_clear

    process_caches_clear()
    yield
    process_caches_clear()


@pytest.fixture(scope="session", autouse=True)
def _static_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # WhiteNoise warns about a STATIC_ROOT that does not exist; nothing is collected in tests. Session
    # scope, so that it also holds for the live server, which starts once per session.
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield
