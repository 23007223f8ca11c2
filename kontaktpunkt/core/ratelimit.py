"""Fixed-window rate limits kept in the database, so that every app server process sees the same counts.

Used for API keys (Open311) and for the public form (per address, per e-mail). A request over the limit
is answered with HTTP 429 and a German explanation by the caller.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
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
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(
        epoch - epoch % window_s, tz=now.tzinfo or timezone.get_current_timezone()
    )
    with transaction.atomic():
        updated = RateLimitWindow.objects.filter(bucket=bucket, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitWindow.objects.create(bucket=bucket, window_start=start, count=1)
            except IntegrityError:
                RateLimitWindow.objects.filter(bucket=bucket, window_start=start).update(
                    count=F("count") + 1
                )
        count = RateLimitWindow.objects.get(bucket=bucket, window_start=start).count
    retry = max(1, math.ceil((start + timedelta(seconds=window_s) - now).total_seconds()))
    return RateLimitResult(allowed=count <= limit, count=count, limit=limit, retry_after_s=retry)


def rate_limit_prune(
    *, older_than: timedelta = timedelta(days=1), now: datetime | None = None
) -> int:
    """Delete windows that ended long ago."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = RateLimitWindow.objects.filter(window_start__lt=cutoff).delete()
    return deleted
