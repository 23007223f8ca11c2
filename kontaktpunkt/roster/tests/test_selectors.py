from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from kontaktpunkt.core.models import Schedule, ScheduleRule
from kontaktpunkt.intake.models import IntakePoint, IntakePointKind
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.models import Absence, AbsenceKind, DemandRule, Post, ShiftType, Wish
from kontaktpunkt.roster.selectors import (
    partners_of,
    plan_snapshot,
    plans_visible_to,
    version_draft,
    version_published,
)
from kontaktpunkt.roster.services import plan_create
from kontaktpunkt.roster.tests.factories import kod, staff, tiny_plan

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)


def test_a_snapshot_holds_the_staff_shifts_demand_and_roster_of_a_version():
    plan = tiny_plan(start=MONDAY)

    snapshot = plan_snapshot(plan=plan, version=version_published(plan))

    instance = snapshot.instance
    assert [s.name for s in snapshot.staff] == [f"KOD-{p:02d}" for p in range(6)]
    assert instance.staff[0].is_team_lead and not instance.staff[4].is_team_lead
    assert instance.shift_codes == ("E", "L")
    assert instance.demand[0][0].minimum == 1
    assert instance.demand[6][1].minimum == 0  # no late shift on Sunday
    assert snapshot.roster.shift_of(2, 6) == "E"
    assert snapshot.posts[(0, 0)] == Post.TEAM_LEAD


def test_preferred_partners_on_the_plan_are_in_the_instance():
    plan = tiny_plan(start=MONDAY)
    four, five = staff(plan, 4), staff(plan, 5)
    four.preferred_partner = five
    four.save()

    snapshot = plan_snapshot(plan=plan, version=version_published(plan))

    assert snapshot.instance.partners == ((4, 5),)
    assert partners_of(snapshot) == {4: 5}


def test_absences_and_wishes_of_the_horizon_are_in_the_instance():
    plan = tiny_plan(start=MONDAY)
    Absence.objects.create(
        staff=staff(plan, 3),
        kind=AbsenceKind.TRAINING,
        first_day=MONDAY - timedelta(days=2),
        last_day=MONDAY + timedelta(days=1),
    )
    Wish.objects.create(
        staff=staff(plan, 5),
        day=MONDAY + timedelta(days=2),
        kind="shift",
        shift_type=ShiftType.objects.get(code="L"),
    )

    instance = plan_snapshot(plan=plan, version=None).instance

    assert sorted((a.person, a.day, a.kind) for a in instance.absences) == [
        (3, 0, domain.AbsenceKind.TRAINING),
        (3, 1, domain.AbsenceKind.TRAINING),
    ]
    assert instance.wishes == (domain.Wish(5, 2, domain.WishKind.SHIFT, "L"),)


def test_the_state_before_a_plan_comes_from_the_published_plan_before_it(kod_lead):
    tiny_plan(start=MONDAY)
    following = plan_create(
        unit=kod(), name="Folgewoche", start=MONDAY + timedelta(days=7), n_days=7, by=kod_lead
    )

    history = plan_snapshot(plan=following, version=None).instance.history

    assert history[2] == domain.CarryIn(last_shift="E", consecutive_days=4)
    assert history[0] == domain.CarryIn(last_shift=None, consecutive_days=0)


def test_demand_tied_to_an_intake_point_follows_its_opening_hours(kod_lead):
    schedule = Schedule.objects.create(name="Nur montags")
    ScheduleRule.objects.create(schedule=schedule, weekday=0, opens=time(10), closes=time(18))
    point = IntakePoint.objects.create(
        slug="nur-montags",
        name="Nur montags",
        kind=IntakePointKind.CONTACT_POINT,
        schedule=schedule,
    )
    DemandRule.objects.create(unit=kod(), post=Post.DESK, minimum=1, target=1, intake_point=point)
    plan = plan_create(unit=kod(), name="Woche", start=MONDAY, n_days=7, by=kod_lead)

    demand = plan_snapshot(plan=plan, version=None).instance.demand

    assert [demand[d][0].minimum for d in range(7)] == [1, 0, 0, 0, 0, 0, 0]
    assert demand[0][0].posts == ((domain.Post.DESK, 1),)


def test_planners_see_drafts_and_viewers_only_published_plans(kod_lead, desk_clerk, analyst):
    published = tiny_plan(start=MONDAY)
    draft_only = plan_create(unit=kod(), name="Entwurf", start=MONDAY, n_days=7, by=kod_lead)

    assert set(plans_visible_to(kod_lead)) == {published, draft_only}
    assert set(plans_visible_to(desk_clerk)) == {published}
    assert not plans_visible_to(analyst).exists()
    assert version_draft(published) is None
