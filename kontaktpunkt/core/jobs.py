"""The durable job queue: enqueue in the caller's transaction, run in the worker.

Handlers are registered by name with `@job_handler("kind")` in each app's `jobs.py`; the worker imports
the modules listed in settings.KP_JOB_MODULES, explicitly.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import traceback
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.utils import timezone

from kontaktpunkt.core.models import Job, JobState

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}

LEASE = timedelta(minutes=5)  # the default of settings.KP_JOB_LEASE_S
BACKOFF_BASE_S = 10
BACKOFF_MAX_S = 6 * 3600


class PermanentJobError(Exception):
    """The job can never succeed (e.g. the peer rejected the content): do not retry."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def handlers_load() -> dict[str, Handler]:
    for module in getattr(settings, "KP_JOB_MODULES", []):
        importlib.import_module(module)
    return _HANDLERS


def job_enqueue(
    *,
    kind: str,
    payload: dict[str, Any],
    idempotency_key: str | None = None,
    max_attempts: int = 12,
) -> Job:
    """Write a job in the current transaction; with an idempotency key, a second enqueue returns the first."""
    if idempotency_key is None:
        return Job.objects.create(kind=kind, payload=payload, max_attempts=max_attempts)
    existing = Job.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind,
                payload=payload,
                idempotency_key=idempotency_key,
                max_attempts=max_attempts,
            )
    except IntegrityError:
        # A concurrent transaction enqueued the same key first (unique constraint).
        return Job.objects.get(idempotency_key=idempotency_key)


def job_lease() -> timedelta:
    """How long a claimed job belongs to its worker before another worker may take it over."""
    return timedelta(seconds=getattr(settings, "KP_JOB_LEASE_S", LEASE.total_seconds()))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def jobs_claim(*, worker: str, limit: int = 10, lease: timedelta | None = None) -> list[Job]:
    """Lease up to `limit` due jobs: queued ones whose time has come and running ones whose lease ran out."""
    now = timezone.now()
    lease = lease or job_lease()
    with transaction.atomic():
        due = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=JobState.QUEUED, run_after__lte=now)
                | Q(state=JobState.RUNNING, leased_until__lt=now)
            )
            .order_by("run_after", "id")[:limit]
        )
        ids = [job.pk for job in due]
        if not ids:
            return []
        Job.objects.filter(pk__in=ids).update(
            state=JobState.RUNNING, leased_until=now + lease, leased_by=worker
        )
        jobs = list(Job.objects.filter(pk__in=ids).order_by("run_after", "id"))
    return jobs


def job_run(job: Job, *, worker: str) -> JobState:
    """Run one leased job and record the outcome; a failure is retried with exponential backoff.

    The lease is renewed right before the job runs: a job whose lease ran out while earlier jobs of the
    batch ran may have been taken over by another worker, and is then left to that worker (returns
    RUNNING without running it), so that a slow batch never sends a mail twice.
    """
    renewed = _job_set(job.pk, worker, running=True, leased_until=timezone.now() + job_lease())
    if not renewed:
        logger.info("job %s was taken over by another worker; skipped", job.pk)
        return JobState.RUNNING
    handler = handlers_load().get(job.kind)
    attempts = job.attempts + 1
    try:
        if handler is None:
            raise PermanentJobError(f"no handler for job kind {job.kind!r}")
        result = handler(job.payload)
    except Exception as exc:
        permanent = isinstance(exc, PermanentJobError) or attempts >= job.max_attempts
        delay = min(BACKOFF_BASE_S * 2 ** (attempts - 1), BACKOFF_MAX_S)
        state = JobState.DEAD if permanent else JobState.QUEUED
        _job_set(
            job.pk,
            worker,
            state=state,
            attempts=attempts,
            run_after=timezone.now() + timedelta(seconds=delay),
            leased_until=None,
            last_error="".join(traceback.format_exception_only(exc)).strip()[:4000],
            finished_at=timezone.now() if permanent else None,
        )
        logger.warning("job %s %s failed (attempt %s): %s", job.pk, job.kind, attempts, exc)
        return state
    _job_set(
        job.pk,
        worker,
        state=JobState.DONE,
        attempts=attempts,
        leased_until=None,
        result=result,
        finished_at=timezone.now(),
    )
    return JobState.DONE


def _job_set(job_id: int, worker: str, *, running: bool = False, **values: Any) -> int:
    """UPDATE one job that `worker` holds (and, with `running`, that is still running); the count.

    The worker's two writes per job are the queue's hot path: this is the statement the ORM's
    `filter(...).update(...)` would write, without building the query anew for every job (which cost
    more than the database's work). Values go through each field's own conversion for the database.
    """
    connection = connections[Job.objects.db]
    quote = connection.ops.quote_name
    fields = [Job._meta.get_field(name) for name in values]
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
    params = [
        f.get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for f, value in zip(fields, values.values(), strict=True)
    ]
    table = quote(Job._meta.db_table)
    # Names come from the model, values go as parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s AND leased_by = %s"  # noqa: S608
    params += [job_id, worker]
    if running:
        sql += " AND state = %s"
        params.append(JobState.RUNNING.value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def jobs_run_due(*, worker: str, limit: int = 10) -> int:
    """Claim and run what is due; returns how many jobs were run."""
    jobs = jobs_claim(worker=worker, limit=limit)
    for job in jobs:
        job_run(job, worker=worker)
    return len(jobs)


def jobs_release(*, worker: str) -> int:
    """Put the jobs `worker` holds back in the queue (the worker knows it is running none of them)."""
    return Job.objects.filter(state=JobState.RUNNING, leased_by=worker).update(
        state=JobState.QUEUED, leased_until=None, run_after=timezone.now()
    )


def job_retry(*, job: Job) -> Job:
    """Send a dead job back to the queue (administrators, from the dead-letter view)."""
    Job.objects.filter(pk=job.pk, state=JobState.DEAD).update(
        state=JobState.QUEUED, run_after=timezone.now(), attempts=0, finished_at=None
    )
    job.refresh_from_db()
    return job


def job_discard(*, job: Job) -> bool:
    """Give up a dead job for good (administrators, from the dead-letter view); it stays visible."""
    return bool(
        Job.objects.filter(pk=job.pk, state=JobState.DEAD).update(
            state=JobState.DISCARDED, finished_at=timezone.now()
        )
    )


class PeriodicSchedule:
    """Jobs the worker enqueues every so many seconds (settings.KP_PERIODIC_JOBS: kind -> seconds).

    Time is cut into slots of each kind's interval; the job of a slot carries the idempotency key
    `periodic:<kind>:<seconds>:<slot>`, so any number of workers enqueue it once per slot. The
    schedule remembers the last slot it enqueued, so a worker asks the database once per slot.
    """

    def __init__(self, intervals: Mapping[str, int] | None = None) -> None:
        chosen = getattr(settings, "KP_PERIODIC_JOBS", {}) if intervals is None else intervals
        self.intervals = {kind: int(seconds) for kind, seconds in chosen.items() if seconds > 0}
        self._last: dict[str, int] = {}

    def enqueue_due(self, *, now: datetime | None = None) -> list[Job]:
        moment = now or timezone.now()
        jobs = []
        for kind, seconds in self.intervals.items():
            slot = int(moment.timestamp()) // seconds
            if self._last.get(kind) == slot:
                continue
            jobs.append(
                job_enqueue(
                    kind=kind,
                    payload={"slot": slot, "interval": seconds},
                    idempotency_key=f"periodic:{kind}:{seconds}:{slot}",
                    max_attempts=3,
                )
            )
            self._last[kind] = slot
        return jobs
