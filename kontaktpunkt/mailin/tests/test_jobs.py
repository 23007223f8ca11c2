"""The worker's periodic round over the mailbox: on schedule, after a restart, and when it fails."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from kontaktpunkt.core.jobs import handlers_load, job_enqueue, jobs_run_due
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.intake.models import Channel, Concern
from kontaktpunkt.mailin.jobs import poll
from kontaktpunkt.mailin.models import ImportedMail
from kontaktpunkt.testing.imap import message_build
from kontaktpunkt.testing.smtp import free_port

pytestmark = pytest.mark.django_db

NOTHING = {"imported": 0, "reply": 0, "ignored": 0, "duplicate": 0, "retry": 0, "given_up": 0}


@pytest.fixture(autouse=True)
def _only_the_mail_round(settings):
    settings.KP_PERIODIC_JOBS = {"mailin.poll": 60}


def run_worker() -> None:
    call_command("worker", "--once", "--idle-sleep", "0", "--nice", "0", stdout=StringIO())


def test_the_round_is_registered_and_scheduled_every_minute_by_default():
    assert "mailin.poll" in handlers_load()
    assert "kontaktpunkt.mailin.jobs" in settings.KP_JOB_MODULES


def test_the_round_does_nothing_while_no_host_is_set(settings):
    settings.KP_IMAP_HOST = ""

    assert poll({}) == {"enabled": False}


def test_the_worker_takes_in_the_mailbox_on_its_schedule(imap_settings):
    imap_settings.append(message_build(subject="Hundekot", text="Vor der Kita."))

    run_worker()

    concern = Concern.objects.get()
    assert (concern.channel, concern.description) == (Channel.EMAIL, "Hundekot\n\nVor der Kita.")
    job = Job.objects.get(kind="mailin.poll")
    assert job.state == JobState.DONE
    assert job.result == {"enabled": True, **NOTHING, "imported": 1}


def test_a_restarted_worker_imports_nothing_twice(imap_settings):
    imap_settings.append(message_build())
    run_worker()
    job_enqueue(kind="mailin.poll", payload={"slot": "next"})  # the next slot, for the new worker

    run_worker()

    assert Concern.objects.count() == 1 and ImportedMail.objects.count() == 1
    second = Job.objects.filter(kind="mailin.poll").order_by("id").last()
    assert second is not None and second.result == {"enabled": True, **NOTHING}


def test_an_unreachable_server_fails_the_job_to_be_retried(imap_settings, settings):
    settings.KP_IMAP_PORT = free_port()
    job = job_enqueue(kind="mailin.poll", payload={})

    jobs_run_due(worker="test")

    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert "ConnectionRefusedError" in job.last_error


def test_a_refused_login_fails_the_job_to_be_retried(imap_settings, settings):
    settings.KP_IMAP_PASSWORD = "falsch"
    job = job_enqueue(kind="mailin.poll", payload={})

    jobs_run_due(worker="test")

    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "login" in job.last_error


def test_a_malformed_setting_fails_the_job_for_good(imap_settings, settings):
    settings.KP_IMAP_SECURITY = "ssl3"
    job = job_enqueue(kind="mailin.poll", payload={})

    jobs_run_due(worker="test")

    job.refresh_from_db()
    assert job.state == JobState.DEAD and "KP_IMAP_SECURITY" in job.last_error
