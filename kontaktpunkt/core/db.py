"""Database helpers that Django's ORM does not offer."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper


def fetch_one_prepared(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> tuple[Any, ...] | None:
    """Run one statement and return its first row; on PostgreSQL as a prepared statement.

    Django binds parameters on the client, so PostgreSQL parses and plans every statement anew. For
    a statement on a hot path (the Open311 accept: four CTEs, run for every POST) that planning costs
    more than the work; a server-side prepared statement is planned once per connection. The query
    is still logged like any other (connection.queries, CaptureQueriesContext) and its errors are
    Django's. Other databases run it as usual.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row
        import psycopg  # only on PostgreSQL

        raw = psycopg.Cursor(connection.connection)  # server-side binding on the same connection
        logged: AbstractContextManager[Any] = (
            cursor.debug_sql(sql, params)
            if isinstance(cursor, CursorDebugWrapper)
            else nullcontext()
        )
        with connection.wrap_database_errors, logged, raw:
            raw.execute(sql, params, prepare=True)
            return raw.fetchone()
