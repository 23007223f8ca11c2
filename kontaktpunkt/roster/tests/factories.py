"""Roster rows for the tests: the tiny week of builders.py stored for the KOD, with its valid
roster published (or only drafted), staff optionally linked to sign-in users."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from django.utils import timezone

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.imports import instance_store
from kontaktpunkt.roster.models import Assignment, RosterPlan, StaffMember
from kontaktpunkt.roster.posts import posts_allocate
from kontaktpunkt.roster.selectors import plan_snapshot, version_draft
from kontaktpunkt.roster.services import version_publish
from kontaktpunkt.roster.tests.builders import tiny_grid, tiny_instance

Grid = dict[tuple[int, int], str]


def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def kod() -> Unit:
    return Unit.objects.get(slug="kod")


def tiny_plan(
    *,
    start: date | None = None,
    grid: Grid | None = None,
    publish: bool = True,
    users: Mapping[int, User] | None = None,
) -> RosterPlan:
    """The tiny week (6 people, early and late shifts; people 0-3 are team leads) from `start`
    (a Monday; this week's by default) with `grid` (the valid tiny roster by default)."""
    first = start or this_monday()
    instance = replace(tiny_instance(), start=first)
    plan = instance_store(instance=instance, unit=kod(), by=None, own_demand=True)
    for person, user in (users or {}).items():
        StaffMember.objects.filter(unit=plan.unit, personnel_number=str(person)).update(user=user)
    draft_write(plan, tiny_grid() if grid is None else grid)
    if publish:
        version_publish(plan=plan, by=None)
    return plan


def draft_write(plan: RosterPlan, grid: Grid) -> None:
    """Replace the draft's duties by `grid` ({(person, day): shift code}), posts handed out."""
    draft = version_draft(plan)
    assert draft is not None
    snapshot = plan_snapshot(plan=plan, version=draft)
    roster = domain.Roster.from_grid(grid)
    posts = posts_allocate(snapshot.instance, roster)
    draft.assignments.all().delete()
    Assignment.objects.bulk_create(
        Assignment(
            version=draft,
            staff=snapshot.staff[p],
            day=plan.start + timedelta(days=d),
            shift_type=snapshot.shift_by_code[code],
            post=str(posts[(p, d)]),
        )
        for (p, d), code in grid.items()
    )


def staff(plan: RosterPlan, person: int) -> StaffMember:
    return StaffMember.objects.get(unit=plan.unit, personnel_number=str(person))
