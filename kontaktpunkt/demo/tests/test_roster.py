"""The demo's roster: the KOD's 48 staff and a solved, published roster of four weeks."""

from __future__ import annotations

import time
from datetime import date

import pytest

from kontaktpunkt.accounts.models import Role
from kontaktpunkt.accounts.services import user_create
from kontaktpunkt.demo.roster import STAFF, demo_roster_ensure
from kontaktpunkt.roster.models import StaffMember, VersionStatus
from kontaktpunkt.roster.selectors import plan_snapshot, version_published
from kontaktpunkt.roster.validator import roster_validate

pytestmark = pytest.mark.django_db

SATURDAY = date(2026, 11, 21)


def test_the_demo_roster_is_solved_published_and_valid_within_seconds():
    officer = user_create(
        username="demo-kod",
        password=None,
        display_name="Jan Krämer",
        memberships=[("kod", Role.KOD_OFFICER)],
    )
    lines: list[str] = []
    started = time.perf_counter()

    plan = demo_roster_ensure(today=SATURDAY, log=lines.append)

    assert time.perf_counter() - started < 10
    assert plan is not None
    assert (plan.start, plan.n_days) == (date(2026, 11, 16), 28)
    published = version_published(plan)
    assert published is not None and published.status == VersionStatus.PUBLISHED
    snapshot = plan_snapshot(plan=plan, version=published)
    assert len(snapshot.staff) == STAFF
    assert roster_validate(snapshot.instance, snapshot.roster) == ()
    assert StaffMember.objects.get(user=officer).assignments.exists()
    assert len(lines) == 1 and "veröffentlicht" in lines[0]


def test_the_demo_roster_is_built_once_a_week():
    first = demo_roster_ensure(today=SATURDAY, log=lambda line: None)

    again = demo_roster_ensure(today=date(2026, 11, 18), log=lambda line: None)

    assert first is not None
    assert again is None
