from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kontaktpunkt.accounts.models import Role
from kontaktpunkt.cases import services
from kontaktpunkt.cases.jobs import escalate_overdue
from kontaktpunkt.core.mail import REFERENCE_HEADER
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.intake.models import Concern, EventKind, Status
from kontaktpunkt.testing.factories import ConcernFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    user = UserFactory.create(email="leitung@kod.example", display_name="Lea Leitung")
    MembershipFactory.create(user=user, role=Role.KOD_LEAD)
    return user


def overdue(**kwargs) -> Concern:
    return ConcernFactory.create(
        status=Status.IN_PROGRESS, due_at=timezone.now() - timedelta(hours=3), **kwargs
    )


def run_worker() -> str:
    out = StringIO()
    call_command("worker", "--once", "--idle-sleep", "0", stdout=out)
    return out.getvalue()


def test_the_worker_escalates_an_overdue_concern_and_the_lead_gets_exactly_one_mail(
    smtp_mail, lead
):
    concern = overdue(address="Ostwall 1")

    run_worker()
    run_worker()

    (received,) = smtp_mail.inbox
    assert concern.category is not None
    assert received.rcpt_tos == ["leitung@kod.example"]
    assert received.subject == f"Überfällig: Anliegen {concern.reference} ({concern.category.name})"
    assert received.message[REFERENCE_HEADER] == concern.reference
    assert received.message["Message-ID"].startswith(f"<escalation.{concern.reference}.v2@")
    assert "ist überfällig und wurde an Sie eskaliert" in received.body("plain")
    assert f"/vorgaenge/{concern.reference}/" in received.body("html")
    concern.refresh_from_db()
    assert concern.escalated_at is not None
    assert concern.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_with_smtp_down_the_escalation_mail_is_retried_and_arrives_once_when_it_is_back(
    smtp_mail, lead
):
    concern = overdue()
    smtp_mail.stop()

    run_worker()

    mail_job = Job.objects.get(kind="mail.send")
    assert (mail_job.state, mail_job.attempts) == (JobState.QUEUED, 1)
    assert Concern.objects.get(pk=concern.pk).escalated_at is not None  # the flag stays set

    smtp_mail.start()
    Job.objects.filter(pk=mail_job.pk).update(run_after=timezone.now())
    run_worker()
    run_worker()

    mail_job.refresh_from_db()
    assert mail_job.state == JobState.DONE and mail_job.attempts == 2
    assert len(smtp_mail.inbox) == 1


def test_two_overdue_concerns_make_two_mails_and_a_new_one_later_a_third(smtp_mail, lead):
    overdue(), overdue()
    run_worker()
    assert len(smtp_mail.inbox) == 2

    overdue()
    escalate_overdue({})  # the next periodic run
    run_worker()

    assert len(smtp_mail.inbox) == 3


def test_the_worker_schedules_the_escalation_once_per_time_slot(settings):
    settings.KP_PERIODIC_JOBS = {"cases.escalate_overdue": 300}

    run_worker()
    run_worker()

    jobs = Job.objects.filter(kind="cases.escalate_overdue")
    assert jobs.count() == 1 and jobs.get().state == JobState.DONE
    assert str(jobs.get().idempotency_key).startswith("periodic:cases.escalate_overdue:300:")


def test_the_escalation_job_reports_what_it_escalated(lead):
    concern = overdue()

    result = escalate_overdue({"slot": 1})

    assert result == {"count": 1, "references": [concern.reference]}


def test_escalation_is_all_or_nothing_per_concern(monkeypatch, lead):
    concern = overdue()

    def outbox_broken(**kwargs):
        raise RuntimeError("outbox not writable")

    monkeypatch.setattr(services, "mail_enqueue", outbox_broken)
    with pytest.raises(RuntimeError):
        escalate_overdue({})

    concern.refresh_from_db()
    assert concern.escalated_at is None and concern.version == 1
    assert concern.events.count() == 0 and Job.objects.count() == 0


def test_no_mail_is_sent_outside_the_worker(mailoutbox, lead, client, kod_lead):
    overdue()

    services.concerns_escalate_overdue()

    assert mailoutbox == []
    assert Job.objects.get(kind="mail.send").state == JobState.QUEUED
