from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kontaktpunkt.core.jobs import (
    PermanentJobError,
    job_enqueue,
    job_handler,
    job_retry,
    job_run,
    jobs_claim,
    jobs_run_due,
)
from kontaktpunkt.core.models import Job, JobState

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@job_handler("test.record")
def _record(payload):
    CALLS.append(payload)
    return {"seen": payload["n"]}


@job_handler("test.flaky")
def _flaky(payload):
    raise ConnectionError("peer not reachable")


@job_handler("test.refused")
def _refused(payload):
    raise PermanentJobError("peer refused the content")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_a_job_enqueued_in_a_rolled_back_transaction_is_never_run():
    def change_that_fails() -> None:
        with transaction.atomic():
            job_enqueue(kind="test.record", payload={"n": 1})
            raise RuntimeError("the change that caused the job failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert jobs_run_due(worker="w1") == 0
    assert CALLS == []


def test_a_due_job_runs_once_and_keeps_its_result():
    job = job_enqueue(kind="test.record", payload={"n": 7})
    assert jobs_run_due(worker="w1") == 1
    assert jobs_run_due(worker="w1") == 0
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (JobState.DONE, 1, {"seen": 7})
    assert CALLS == [{"n": 7}]


def test_the_same_idempotency_key_enqueues_one_job():
    first = job_enqueue(kind="test.record", payload={"n": 1}, idempotency_key="mail:KP-1:ack")
    second = job_enqueue(kind="test.record", payload={"n": 2}, idempotency_key="mail:KP-1:ack")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_a_failing_job_is_retried_later_with_growing_backoff():
    job = job_enqueue(kind="test.flaky", payload={})
    jobs_run_due(worker="w1")
    job.refresh_from_db()
    first_delay = job.run_after - timezone.now()
    assert (
        job.state == JobState.QUEUED
        and job.attempts == 1
        and "peer not reachable" in job.last_error
    )
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    jobs_run_due(worker="w1")
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.run_after - timezone.now() > first_delay


def test_a_job_is_dead_after_its_last_attempt_and_can_be_retried():
    job = job_enqueue(kind="test.flaky", payload={}, max_attempts=2)
    for _ in range(2):
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        jobs_run_due(worker="w1")
    job.refresh_from_db()
    assert job.state == JobState.DEAD and job.finished_at is not None
    job_retry(job=job)
    assert (job.state, job.attempts) == (JobState.QUEUED, 0)


def test_a_permanent_error_is_not_retried():
    job = job_enqueue(kind="test.refused", payload={})
    jobs_run_due(worker="w1")
    job.refresh_from_db()
    assert job.state == JobState.DEAD and job.attempts == 1


def test_a_job_of_an_unknown_kind_is_dead_with_a_reason():
    job = job_enqueue(kind="test.unknown", payload={})
    jobs_run_due(worker="w1")
    job.refresh_from_db()
    assert job.state == JobState.DEAD and "no handler" in job.last_error


def test_a_leased_job_is_not_taken_by_a_second_worker():
    job_enqueue(kind="test.record", payload={"n": 1})
    assert len(jobs_claim(worker="w1")) == 1
    assert jobs_claim(worker="w2") == []


def test_a_crashed_workers_job_is_taken_over_when_its_lease_runs_out():
    job = job_enqueue(kind="test.record", payload={"n": 3})
    (claimed,) = jobs_claim(worker="w1")
    Job.objects.filter(pk=job.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    (taken,) = jobs_claim(worker="w2")
    assert taken.pk == job.pk and taken.leased_by == "w2"
    assert job_run(taken, worker="w2") == JobState.DONE
    # the first worker waking up late neither runs the job again nor overwrites the outcome
    assert job_run(claimed, worker="w1") == JobState.RUNNING
    job.refresh_from_db()
    assert job.leased_by == "w2" and job.state == JobState.DONE
    assert CALLS == [{"n": 3}]


def test_a_job_whose_lease_ran_out_during_a_slow_batch_is_left_to_the_worker_that_took_it_over():
    first = job_enqueue(kind="test.record", payload={"n": 1})
    second = job_enqueue(kind="test.record", payload={"n": 2})
    batch = jobs_claim(worker="w1")
    assert [j.pk for j in batch] == [first.pk, second.pk]
    job_run(batch[0], worker="w1")
    # the first job took longer than the lease: another worker takes the second one over
    Job.objects.filter(pk=second.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    (taken,) = jobs_claim(worker="w2")
    job_run(taken, worker="w2")
    assert job_run(batch[1], worker="w1") == JobState.RUNNING
    assert CALLS == [{"n": 1}, {"n": 2}]


def test_the_worker_command_runs_what_is_due_and_stops_with_once():
    job_enqueue(kind="test.record", payload={"n": 9})
    call_command("worker", "--once")
    assert CALLS == [{"n": 9}]


def test_the_worker_command_lowers_its_cpu_priority_when_asked(monkeypatch):
    niced: list[int] = []
    monkeypatch.setattr("os.nice", niced.append)  # the test process itself must keep its priority

    call_command("worker", "--once", "--nice", "7", stdout=StringIO())
    call_command("worker", "--once", "--nice", "0", stdout=StringIO())

    assert niced == [7]
