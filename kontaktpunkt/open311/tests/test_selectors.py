"""Reads of the Open311 adapter that the views do not show directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kontaktpunkt.open311.models import Submission
from kontaktpunkt.open311.selectors import inbox_burst
from kontaktpunkt.open311.services import api_key_issue

pytestmark = pytest.mark.django_db


def _waiting(count: int, *, age_s: float, start: int = 0) -> None:
    key, _raw = api_key_issue(client_name="Burst", by=None)
    moment = timezone.now() - timedelta(seconds=age_s)
    Submission.objects.bulk_create(
        Submission(reference=f"KP-2026-9{start + n:05d}", api_key=key, received_at=moment)
        for n in range(count)
    )


def test_an_empty_inbox_is_no_burst():
    assert not inbox_burst(per_s=2, defer_max_s=30)


def test_more_arrivals_in_the_last_second_than_the_threshold_are_a_burst():
    _waiting(3, age_s=0.2)

    assert inbox_burst(per_s=2, defer_max_s=30)
    assert not inbox_burst(per_s=3, defer_max_s=30)


def test_a_burst_no_longer_defers_once_the_oldest_request_waited_long_enough():
    _waiting(1, age_s=40)
    _waiting(3, age_s=0.2, start=10)

    assert not inbox_burst(per_s=2, defer_max_s=30)
