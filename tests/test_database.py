"""The suite runs on the database that DATABASE_URL names: `make test` runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import os

import pytest
from django.db import connection

VENDOR_BY_SCHEME = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names() -> None:
    scheme = os.environ.get("DATABASE_URL", "sqlite://").split(":", 1)[0]

    assert connection.vendor == VENDOR_BY_SCHEME[scheme]


@pytest.mark.django_db
def test_the_suite_runs_on_a_test_database_and_not_on_the_real_one() -> None:
    name = str(connection.settings_dict["NAME"])

    if connection.vendor == "sqlite":
        assert "mode=memory" in name or "test" in name
    else:
        assert name.startswith("test_")
