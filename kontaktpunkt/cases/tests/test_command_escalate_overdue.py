from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kontaktpunkt.accounts.models import Role
from kontaktpunkt.core.models import Job
from kontaktpunkt.intake.models import EventKind, Status
from kontaktpunkt.testing.factories import ConcernFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_command_escalates_overdue_concerns_and_enqueues_their_mails(mailoutbox):
    MembershipFactory.create(user=UserFactory.create(email="l@kod.example"), role=Role.KOD_LEAD)
    concern = ConcernFactory.create(
        status=Status.ASSIGNED, due_at=timezone.now() - timedelta(minutes=5)
    )
    ConcernFactory.create(status=Status.ASSIGNED, due_at=timezone.now() + timedelta(hours=5))
    out = StringIO()

    call_command("escalate_overdue", stdout=out)
    call_command("escalate_overdue", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 Anliegen eskaliert.",
        f"  {concern.reference}",
        "0 Anliegen eskaliert.",
    ]
    assert concern.events.get().kind == EventKind.ESCALATED
    assert Job.objects.filter(kind="mail.send").count() == 1
    assert mailoutbox == []  # sent by the worker, not by the command
