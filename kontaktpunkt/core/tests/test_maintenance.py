from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kontaktpunkt.core.jobs import job_enqueue, jobs_run_due
from kontaktpunkt.core.models import Job, JobState, RateLimitWindow
from kontaktpunkt.core.ratelimit import rate_limit_hit

pytestmark = pytest.mark.django_db


def test_the_prune_job_forgets_old_rate_limit_windows_and_old_finished_jobs():
    rate_limit_hit(bucket="ip:old", limit=5, window_s=60, now=timezone.now() - timedelta(days=2))
    rate_limit_hit(bucket="ip:new", limit=5, window_s=60)
    old = job_enqueue(kind="mail.send", payload={})
    Job.objects.filter(pk=old.pk).update(
        state=JobState.DONE, finished_at=timezone.now() - timedelta(days=31)
    )
    dead = job_enqueue(kind="mail.send", payload={})
    Job.objects.filter(pk=dead.pk).update(
        state=JobState.DEAD, finished_at=timezone.now() - timedelta(days=90)
    )
    prune = job_enqueue(kind="core.prune", payload={})

    jobs_run_due(worker="w1")

    prune.refresh_from_db()
    assert prune.state == JobState.DONE
    assert prune.result == {"rate_limit_windows": 1, "jobs": 1}
    assert list(RateLimitWindow.objects.values_list("bucket", flat=True)) == ["ip:new"]
    assert Job.objects.filter(pk=dead.pk).exists()
