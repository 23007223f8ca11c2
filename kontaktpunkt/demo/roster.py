"""The demo's duty roster: the KOD's 48 staff (its demo logins among them), the default demand
derived from the intake points, some leave, training, a sick call and wishes, and a roster for the
four weeks from this week's Monday, solved (at most a few seconds) and published.

Idempotent: a KOD roster that starts on this week's Monday is left as it is. Writes only through
the roster's services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from kontaktpunkt.accounts.models import Role, Unit, User
from kontaktpunkt.demo.names import NameSource
from kontaktpunkt.roster.models import AbsenceKind, RosterPlan, StaffMember
from kontaktpunkt.roster.services import (
    absence_create,
    demand_rules_defaults_create,
    plan_create,
    staff_member_create,
    version_publish,
    wish_create,
)
from kontaktpunkt.roster.solving import plan_solve_now

STAFF = 48
TEAM_LEADS = 8
PART_TIME = 8  # the last ones work 30 hours a week
FULL_TIME_HOURS = Decimal("39.00")
PART_TIME_HOURS = Decimal("30.00")
DAYS = 28
SOLVE_SECONDS = 6.0
LEAVE_WEEKS = 6  # people with a week of leave
WISHES = 30


def demo_roster_ensure(
    *, today: date, log: Callable[[str], None], seed: int = 2026
) -> RosterPlan | None:
    """The published KOD roster of the four weeks from this week's Monday (None if it existed)."""
    kod = Unit.objects.get(slug="kod")
    start = today - timedelta(days=today.weekday())
    if RosterPlan.objects.filter(unit=kod, start=start).exists():
        return None
    rng = random.Random(f"{seed}-roster")
    lead = next(iter(_kod_users(kod, Role.KOD_LEAD)), None)
    staff = _staff_ensure(kod)
    demand_rules_defaults_create(unit=kod)
    _absences(staff, start, rng, lead)
    _wishes(staff, start, rng)
    last = start + timedelta(days=DAYS - 1)
    plan = plan_create(
        unit=kod, name=f"KOD {start:%d.%m.} bis {last:%d.%m.%Y}", start=start, n_days=DAYS, by=lead
    )
    run = plan_solve_now(plan=plan, time_limit_s=SOLVE_SECONDS, by=lead)
    if run.violations == 0:
        version_publish(plan=plan, by=lead)
    log(
        f"Dienstplan {plan.name}: {len(staff)} Kräfte, berechnet in {run.seconds or 0:.1f} s "
        f"({run.outcome_label}), {'veröffentlicht' if run.violations == 0 else 'Entwurf'}"
    )
    return plan


def _kod_users(kod: Unit, role: Role) -> list[User]:
    return list(
        User.objects.filter(memberships__unit=kod, memberships__role=role).order_by("username")
    )


def _staff_ensure(kod: Unit) -> list[StaffMember]:
    """The 48: the KOD's demo people first (leads, then officers), then staff without a login."""
    existing = {s.personnel_number: s for s in StaffMember.objects.filter(unit=kod)}
    linked = set(StaffMember.objects.filter(user__isnull=False).values_list("user_id", flat=True))
    users = _kod_users(kod, Role.KOD_LEAD) + _kod_users(kod, Role.KOD_OFFICER)
    names = NameSource(seed=48)
    staff = []
    for i in range(STAFF):
        number = f"KOD-{i + 1:03d}"
        user = users[i] if i < len(users) else None
        name = str(user) if user is not None else names.full_name()
        member = existing.get(number) or staff_member_create(
            unit=kod,
            personnel_number=number,
            name=name,
            weekly_hours=PART_TIME_HOURS if i >= STAFF - PART_TIME else FULL_TIME_HOURS,
            team_lead=i < TEAM_LEADS,
            desk=i % 3 == 1,
            driver=i % 2 == 0,
            user=user if user is not None and user.pk not in linked else None,
        )
        staff.append(member)
    return staff


def _absences(staff: list[StaffMember], start: date, rng: random.Random, by: User | None) -> None:
    """A week of leave for some, two days of training for two, a sick call of three days."""
    people = rng.sample(staff, LEAVE_WEEKS + 3)
    for n, member in enumerate(people[:LEAVE_WEEKS]):
        monday = start + timedelta(weeks=n % 4)
        absence_create(
            staff=member,
            kind=AbsenceKind.LEAVE,
            first_day=monday,
            last_day=monday + timedelta(days=4),
            by=by,
        )
    for n, member in enumerate(people[LEAVE_WEEKS : LEAVE_WEEKS + 2]):
        day = start + timedelta(days=8 + 7 * n)
        absence_create(
            staff=member,
            kind=AbsenceKind.TRAINING,
            first_day=day,
            last_day=day + timedelta(days=1),
            by=by,
        )
    sick = people[-1]
    absence_create(
        staff=sick,
        kind=AbsenceKind.SICKNESS,
        first_day=start + timedelta(days=2),
        last_day=start + timedelta(days=4),
        by=by,
    )


def _wishes(staff: list[StaffMember], start: date, rng: random.Random) -> None:
    chosen: set[tuple[int, int]] = set()
    while len(chosen) < WISHES:
        chosen.add((rng.randrange(len(staff)), rng.randrange(DAYS)))
    for person, day in sorted(chosen):
        wish_create(staff=staff[person], day=start + timedelta(days=day))
