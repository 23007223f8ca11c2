from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kontaktpunkt.core.models import RateLimitWindow
from kontaktpunkt.core.ratelimit import rate_limit_bucket, rate_limit_hit, rate_limit_prune

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 21, 12, 0, 10, tzinfo=UTC)


def test_uses_within_the_limit_are_allowed_and_the_next_one_is_not():
    results = [rate_limit_hit(bucket="key:a", limit=3, window_s=60, now=NOON) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[-1].retry_after_s == 50


def test_a_new_window_starts_counting_afresh():
    for _ in range(3):
        rate_limit_hit(bucket="key:a", limit=2, window_s=60, now=NOON)
    assert rate_limit_hit(
        bucket="key:a", limit=2, window_s=60, now=NOON + timedelta(minutes=1)
    ).allowed


def test_buckets_are_counted_apart():
    rate_limit_hit(bucket="key:a", limit=1, window_s=60, now=NOON)
    assert rate_limit_hit(bucket="key:b", limit=1, window_s=60, now=NOON).allowed


def test_a_bucket_name_does_not_keep_the_raw_address():
    bucket = rate_limit_bucket("ip", "192.0.2.7")
    assert "192.0.2.7" not in bucket and bucket == rate_limit_bucket("ip", " 192.0.2.7 ")


def test_old_windows_are_pruned():
    rate_limit_hit(bucket="key:a", limit=1, window_s=60, now=NOON - timedelta(days=2))
    rate_limit_hit(bucket="key:a", limit=1, window_s=60, now=NOON)
    assert rate_limit_prune(now=NOON) == 1
    assert RateLimitWindow.objects.count() == 1


def test_the_counted_window_is_the_row_the_orm_sees():
    for _ in range(3):
        rate_limit_hit(bucket="key:orm", limit=5, window_s=60, now=NOON)
    window = RateLimitWindow.objects.get(
        bucket="key:orm", window_start=datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)
    )
    assert window.count == 3
