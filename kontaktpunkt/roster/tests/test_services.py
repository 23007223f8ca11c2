from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.core.models import Schedule, ScheduleRule
from kontaktpunkt.intake.models import IntakePoint, IntakePointKind
from kontaktpunkt.roster.models import (
    Assignment,
    EventKind,
    Post,
    RosterEvent,
    ShiftType,
    VersionStatus,
)
from kontaktpunkt.roster.selectors import version_draft, version_published
from kontaktpunkt.roster.services import (
    PublishRefused,
    RosterRefused,
    calendar_token_renew,
    cell_set,
    demand_rules_defaults_create,
    plan_create,
    version_publish,
)
from kontaktpunkt.roster.tests.factories import kod, staff, tiny_plan
from kontaktpunkt.roster.validator import Rule

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)


def _early() -> ShiftType:
    return ShiftType.objects.get(code="E")


def _late() -> ShiftType:
    return ShiftType.objects.get(code="L")


def test_a_new_plan_starts_with_an_empty_draft_and_an_audit_row(kod_lead):
    plan = plan_create(unit=kod(), name="Januar", start=MONDAY, n_days=28, by=kod_lead)

    draft = version_draft(plan)
    assert draft is not None
    assert (draft.number, draft.status, draft.assignments.count()) == (1, VersionStatus.DRAFT, 0)
    assert RosterEvent.objects.get(plan=plan).kind == EventKind.CREATED


def test_editing_a_published_plan_works_on_a_new_draft_copied_from_it(kod_lead):
    plan = tiny_plan(start=MONDAY)
    published = version_published(plan)
    assert published is not None

    draft = cell_set(
        plan=plan,
        staff=staff(plan, 4),
        day=MONDAY + timedelta(days=5),
        shift_type=_early(),
        post="",
        expected="",
        by=kod_lead,
    )

    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.assignments.count() == published.assignments.count() + 1
    assert version_published(plan) == published
    event = RosterEvent.objects.filter(kind=EventKind.EDITED).get()
    assert event.changes == [[staff(plan, 4).pk, "2025-01-11", "", "E:patrol_pair"]]


def test_a_cell_changed_by_someone_else_in_between_is_a_conflict_and_stays(kod_lead):
    plan = tiny_plan(start=MONDAY)
    kwargs = {"plan": plan, "staff": staff(plan, 4), "day": MONDAY, "by": kod_lead}

    cell_set(**kwargs, shift_type=None, post="", expected="E:patrol_pair")
    with pytest.raises(ConflictError):
        cell_set(**kwargs, shift_type=_late(), post="", expected="E:patrol_pair")

    assert not Assignment.objects.filter(
        version=version_draft(plan), staff=staff(plan, 4), day=MONDAY
    ).exists()


def test_a_person_put_on_a_shift_gets_the_open_post_they_are_qualified_for(kod_lead):
    plan = tiny_plan(start=MONDAY)
    lead = staff(plan, 0)
    kwargs = {"plan": plan, "day": MONDAY, "by": kod_lead}
    cell_set(**kwargs, staff=lead, shift_type=None, post="", expected="E:team_lead")

    cell_set(**kwargs, staff=staff(plan, 3), shift_type=_early(), post="", expected="")

    duty = Assignment.objects.get(version=version_draft(plan), staff=staff(plan, 3), day=MONDAY)
    assert duty.post == Post.TEAM_LEAD


def test_a_cell_outside_the_plan_is_refused(kod_lead):
    plan = tiny_plan(start=MONDAY)

    with pytest.raises(RosterRefused):
        cell_set(
            plan=plan,
            staff=staff(plan, 4),
            day=MONDAY + timedelta(days=7),
            shift_type=_early(),
            post="",
            expected="",
            by=kod_lead,
        )


def test_publishing_is_refused_while_the_draft_breaks_a_rule(kod_lead):
    plan = tiny_plan(start=MONDAY)
    # person 1 works late on Monday; early on Tuesday leaves 8 hours of rest
    cell_set(
        plan=plan,
        staff=staff(plan, 1),
        day=MONDAY + timedelta(days=1),
        shift_type=_early(),
        post="",
        expected="L:team_lead",
        by=kod_lead,
    )

    with pytest.raises(PublishRefused) as refused:
        version_publish(plan=plan, by=kod_lead)

    assert Rule.REST_TIME in {v.rule for v in refused.value.violations}
    assert "Ruhezeit" in " ".join(v.message for v in refused.value.violations)
    assert version_draft(plan) is not None


def test_publishing_a_valid_draft_supersedes_the_published_version(kod_lead):
    plan = tiny_plan(start=MONDAY)
    first = version_published(plan)
    for person in (4, 5):  # the patrol pair also walks Wednesday late
        cell_set(
            plan=plan,
            staff=staff(plan, person),
            day=MONDAY + timedelta(days=2),
            shift_type=_late(),
            post="",
            expected="",
            by=kod_lead,
        )

    second = version_publish(plan=plan, by=kod_lead)

    assert (second.number, second.status, second.published_by) == (
        2,
        VersionStatus.PUBLISHED,
        kod_lead,
    )
    assert first is not None
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert version_draft(plan) is None


def test_publishing_without_a_draft_is_refused(kod_lead):
    plan = tiny_plan(start=MONDAY)

    with pytest.raises(RosterRefused):
        version_publish(plan=plan, by=kod_lead)


def test_default_demand_follows_the_intake_points_of_the_unit():
    unit = kod()
    schedule = Schedule.objects.create(name="Anlaufstelle Test")
    ScheduleRule.objects.create(schedule=schedule, weekday=0, opens=time(10), closes=time(18))
    point = IntakePoint.objects.create(
        slug="test-kp",
        name="Test-Kontaktpunkt",
        kind=IntakePointKind.CONTACT_POINT,
        schedule=schedule,
    )
    point.units.add(unit)

    rules = demand_rules_defaults_create(unit=unit)

    assert {(r.post, r.minimum, r.target, r.intake_point) for r in rules} == {
        (Post.PATROL_PAIR, 8, 10, None),
        (Post.TEAM_LEAD, 1, 1, None),
        (Post.DESK, 1, 1, point),
    }
    assert demand_rules_defaults_create(unit=unit) == []


def test_a_new_calendar_secret_replaces_the_old_one():
    plan = tiny_plan(start=MONDAY)
    member = staff(plan, 2)
    old = member.calendar_token

    calendar_token_renew(staff=member)

    member.refresh_from_db()
    assert member.calendar_token != old
    assert len(member.calendar_token) >= 40
