"""Housekeeping jobs the worker runs on schedule (settings.KP_PERIODIC_JOBS)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kontaktpunkt.core.jobs import job_handler
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.core.ratelimit import rate_limit_prune

DONE_JOBS_KEPT = timedelta(days=30)


@job_handler("core.prune")
def prune(payload: dict[str, Any]) -> dict[str, Any]:
    """Forget rate-limit windows older than a day and finished jobs older than 30 days.

    Dead jobs stay until an administrator retries or discards them.
    """
    windows = rate_limit_prune(older_than=timedelta(days=1))
    jobs, _ = Job.objects.filter(
        state=JobState.DONE, finished_at__lt=timezone.now() - DONE_JOBS_KEPT
    ).delete()
    return {"rate_limit_windows": windows, "jobs": jobs}
