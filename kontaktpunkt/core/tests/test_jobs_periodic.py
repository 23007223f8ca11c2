"""Periodic jobs (settings.KP_PERIODIC_JOBS) and the race-safe idempotent enqueue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import QuerySet

from kontaktpunkt.core.jobs import PeriodicSchedule, job_enqueue, job_handler
from kontaktpunkt.core.models import Job, JobState

pytestmark = pytest.mark.django_db

RUNS: list[dict] = []


@job_handler("test.periodic")
def _periodic(payload):
    RUNS.append(payload)
    return None


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


NOON = datetime(2026, 3, 4, 12, 0, 1, tzinfo=UTC)


def test_a_periodic_job_is_enqueued_once_per_time_slot():
    schedule = PeriodicSchedule({"test.periodic": 300})

    first = schedule.enqueue_due(now=NOON)
    again = schedule.enqueue_due(now=NOON + timedelta(seconds=100))
    later = schedule.enqueue_due(now=NOON + timedelta(seconds=300))

    assert len(first) == 1 and again == [] and len(later) == 1
    assert Job.objects.filter(kind="test.periodic").count() == 2


def test_two_workers_in_the_same_slot_enqueue_one_job():
    one, two = PeriodicSchedule({"test.periodic": 60}), PeriodicSchedule({"test.periodic": 60})

    (a,) = one.enqueue_due(now=NOON)
    (b,) = two.enqueue_due(now=NOON + timedelta(seconds=30))

    assert a.pk == b.pk and Job.objects.count() == 1


def test_the_schedule_comes_from_the_settings(settings):
    settings.KP_PERIODIC_JOBS = {"test.periodic": 120, "test.off": 0}

    assert PeriodicSchedule().intervals == {"test.periodic": 120}


def test_the_worker_runs_the_periodic_jobs_of_the_settings(settings):
    settings.KP_PERIODIC_JOBS = {"test.periodic": 300}

    call_command("worker", "--once", stdout=StringIO())

    assert len(RUNS) == 1 and set(RUNS[0]) == {"slot", "interval"}
    assert Job.objects.get(kind="test.periodic").state == JobState.DONE


def test_the_worker_can_leave_the_periodic_jobs_out(settings):
    settings.KP_PERIODIC_JOBS = {"test.periodic": 300}

    call_command("worker", "--once", "--no-periodic", stdout=StringIO())

    assert RUNS == [] and Job.objects.count() == 0


def test_an_enqueue_racing_another_on_the_same_key_returns_the_first_job(monkeypatch):
    existing = job_enqueue(kind="test.periodic", payload={"n": 1}, idempotency_key="race")
    real_first = QuerySet.first
    calls = {"n": 0}

    def first_misses_once(self):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_first(self)

    monkeypatch.setattr(QuerySet, "first", first_misses_once)
    job = job_enqueue(kind="test.periodic", payload={"n": 2}, idempotency_key="race")

    assert job.pk == existing.pk and Job.objects.count() == 1
