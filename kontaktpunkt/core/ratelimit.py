"""Fixed-window rate limits kept in the database, so that every app server process sees the same counts.

Used for API keys (Open311) and for the public form (per address, per e-mail). A request over the limit
is answered with HTTP 429 and a German explanation by the caller.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from kontaktpunkt.core.models import RateLimitWindow


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after_s: int


def rate_limit_bucket(kind: str, value: str) -> str:
    """A bucket name that does not store the raw value (an IP address or an e-mail is personal data)."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def rate_limit_hit(
    *, bucket: str, limit: int, window_s: int, now: datetime | None = None
) -> RateLimitResult:
    """Count one use of `bucket` in the current window and say whether it is within `limit`."""
    now = now or timezone.now()
    start = rate_limit_window_start(now=now, window_s=window_s)
    count = _window_count_up(bucket, start)
    return rate_limit_result(count=count, limit=limit, start=start, window_s=window_s, now=now)


def rate_limit_window_start(*, now: datetime, window_s: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(
        epoch - epoch % window_s, tz=now.tzinfo or timezone.get_current_timezone()
    )


def rate_limit_result(
    *, count: int, limit: int, start: datetime, window_s: int, now: datetime
) -> RateLimitResult:
    """What a window's count means for a request made at `now`."""
    retry = max(1, math.ceil((start + timedelta(seconds=window_s) - now).total_seconds()))
    return RateLimitResult(allowed=count <= limit, count=count, limit=limit, retry_after_s=retry)


def rate_limit_prune(
    *, older_than: timedelta = timedelta(days=1), now: datetime | None = None
) -> int:
    """Delete windows that ended long ago."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = RateLimitWindow.objects.filter(window_start__lt=cutoff).delete()
    return deleted


def _window_count_up(bucket: str, start: datetime) -> int:
    """Add one to the window's count and return it: one statement, safe under concurrency.

    An upsert (INSERT … ON CONFLICT … DO UPDATE … RETURNING), which PostgreSQL and SQLite (3.35+) both
    understand; the datetime is adapted as Django stores it, so ORM reads see the same row.
    """
    connection = connections[router.db_for_write(RateLimitWindow)]
    with connection.cursor() as cursor:
        cursor.execute(
            rate_limit_upsert_sql(connection),
            [bucket, connection.ops.adapt_datetimefield_value(start)],
        )
        row = cursor.fetchone()
    return int(row[0])


def rate_limit_upsert_sql(connection: BaseDatabaseWrapper) -> str:
    """The upsert that counts one use (parameters: bucket, window start); it returns the new count.

    Also a building block: the Open311 accept runs it inside its own statement.
    """
    table = connection.ops.quote_name(RateLimitWindow._meta.db_table)
    bucket, start, count = (
        connection.ops.quote_name(n) for n in ("bucket", "window_start", "count")
    )
    # identifiers from the model's meta, quoted; the values are parameters
    return (
        f"INSERT INTO {table} ({bucket}, {start}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({bucket}, {start}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )
