"""fetch_one_prepared: the hot-path statement runner."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from kontaktpunkt.core.db import fetch_one_prepared
from kontaktpunkt.core.models import RateLimitWindow

pytestmark = pytest.mark.django_db


def test_the_first_row_is_returned_and_the_statement_is_logged_like_any_query():
    with CaptureQueriesContext(connection) as captured:
        first = fetch_one_prepared(connection, "SELECT %s + 1, %s", [41, "Krefeld"])
        second = fetch_one_prepared(connection, "SELECT %s + 1, %s", [1, "Uerdingen"])

    assert first == (42, "Krefeld")
    assert second == (2, "Uerdingen")
    assert len(captured.captured_queries) == 2
    assert all("+ 1" in query["sql"] for query in captured.captured_queries)


def test_a_database_error_arrives_as_djangos_error():
    table = RateLimitWindow._meta.db_table
    sql = f"INSERT INTO {table} (bucket, window_start, count) VALUES (%s, NULL, 1) RETURNING id"  # noqa: S608

    with pytest.raises(IntegrityError):
        fetch_one_prepared(connection, sql, ["b"])
