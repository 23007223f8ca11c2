"""Writes that import a roster instance — the JSON format of shared/data/roster/ or planners' CSV
files — into a unit's staff, absences and wishes and a new plan with its own demand rules.

Parsing is the core's (`instance.py`, German errors); this module stores the parsed instance in one
transaction. Staff are matched by personnel number within the unit (and updated), shift types by
code (refused when their times differ); absences and wishes already recorded are not doubled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.roster import domain, messages
from kontaktpunkt.roster.instance import (
    InstanceError,
    absences_from_csv,
    demand_from_csv,
    instance_from_json,
    staff_from_csv,
    wishes_from_csv,
)
from kontaktpunkt.roster.models import (
    MINUTES_PER_HOUR,
    Absence,
    DemandRule,
    EventKind,
    Post,
    RosterPlan,
    RosterVersion,
    ShiftType,
    StaffMember,
    Wish,
)
from kontaktpunkt.roster.selectors import shift_type_domain
from kontaktpunkt.roster.services import RosterRefused, event_log

_T = TypeVar("_T")
LATE_COLOUR = "#bfdbfe"
EARLY_COLOUR = "#fde68a"


class ImportRefused(RosterRefused):
    """The file does not describe a roster instance; the message says what is wrong (German)."""


def plan_import_json(*, unit: Unit, content: bytes, by: User) -> RosterPlan:
    """A plan from an instance in the JSON format of shared/data/roster/."""
    data = _json(_text(content))
    try:
        instance = instance_from_json(data)
    except InstanceError as exc:
        raise ImportRefused(str(exc)) from exc
    return instance_store(instance=instance, unit=unit, by=by, own_demand=True)


@dataclass(frozen=True)
class CsvFiles:
    staff: bytes
    demand: bytes = b""
    absences: bytes = b""
    wishes: bytes = b""


def plan_import_csv(
    *, unit: Unit, name: str, start: date, n_days: int, files: CsvFiles, by: User
) -> RosterPlan:
    """A plan from planners' CSV files (columns: see instance.py). Without a demand file the
    plan follows the unit's demand rules."""
    shift_types = tuple(shift_type_domain(s) for s in ShiftType.objects.filter(active=True))
    staff = _parsed(_("Staff file"), lambda: staff_from_csv(_text(files.staff)))
    demand_text = _text(files.demand)
    demand = _parsed(
        _("Demand file"),
        lambda: (
            demand_from_csv(demand_text, start=start, n_days=n_days, shift_types=shift_types)
            if demand_text.strip()
            else ()
        ),
    )
    absences = _parsed(
        _("Absences file"),
        lambda: absences_from_csv(_text(files.absences), start=start, n_days=n_days, staff=staff),
    )
    wishes = _parsed(
        _("Wishes file"),
        lambda: wishes_from_csv(
            _text(files.wishes), start=start, n_days=n_days, staff=staff, shift_types=shift_types
        ),
    )
    instance = domain.Instance(
        name=name,
        start=start,
        n_days=n_days,
        staff=staff,
        shift_types=shift_types,
        demand=demand,
        absences=absences,
        wishes=wishes,
    )
    return instance_store(instance=instance, unit=unit, by=by, own_demand=bool(demand))


def instance_store(
    *, instance: domain.Instance, unit: Unit, by: User | None, own_demand: bool
) -> RosterPlan:
    """Store an instance: staff, shift types, a plan (version 1, empty draft) with the instance's
    demand as its own rules, the state before its first day, absences and wishes."""
    with transaction.atomic():
        shifts = {s.code: _shift_type_ensure(s) for s in instance.shift_types}
        staff = [_staff_upsert(unit, member) for member in instance.staff]
        plan = RosterPlan.objects.create(
            unit=unit,
            name=instance.name[:200],
            start=instance.start,
            n_days=instance.n_days,
            carry_in=_carry_in(instance),
            created_by=by,
        )
        version = RosterVersion.objects.create(plan=plan, number=1, created_by=by)
        if own_demand:
            DemandRule.objects.bulk_create(_demand_rules(plan, instance, shifts))
        Absence.objects.bulk_create(_absences(instance, staff, by))
        Wish.objects.bulk_create(_wishes(instance, staff, shifts))
        text = _("%(staff)d staff, %(absences)d absence days, %(wishes)d wishes imported.") % {
            "staff": len(staff),
            "absences": len(instance.absences),
            "wishes": len(instance.wishes),
        }
        event_log(plan, version, EventKind.IMPORTED, by, text=text)
    return plan


# --- parsing helpers ----------------------------------------------------------------------------


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(messages.not_utf8()) from exc


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(messages.json_invalid(exc.lineno, exc.colno, exc.msg)) from exc
    if not isinstance(data, dict):
        raise ImportRefused(messages.json_not_an_object())
    return data


def _parsed(label: str, parse: Callable[[], _T]) -> _T:
    try:
        return parse()
    except InstanceError as exc:
        raise ImportRefused(_("%(file)s: %(error)s") % {"file": label, "error": str(exc)}) from exc


# --- storing helpers ----------------------------------------------------------------------------


def _shift_type_ensure(shift: domain.ShiftType) -> ShiftType:
    known = ShiftType.objects.filter(code=shift.code).first()
    if known is None:
        return ShiftType.objects.create(
            code=shift.code,
            name=shift.name,
            letter=shift.code[:2],
            start=shift.start,
            end=shift.end,
            colour=LATE_COLOUR if shift.late else EARLY_COLOUR,
            sort_order=shift.start_minute // MINUTES_PER_HOUR,
        )
    if (known.start, known.end, known.unpaid_minutes) != (
        shift.start,
        shift.end,
        shift.unpaid_minutes,
    ):
        raise ImportRefused(
            messages.shift_times_differ(
                shift.code, _span(known.start, known.end), _span(shift.start, shift.end)
            )
        )
    return known


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def _staff_upsert(unit: Unit, member: domain.StaffMember) -> StaffMember:
    qualifications = member.qualifications
    values = {
        "name": member.name[:150],
        "weekly_hours": (Decimal(member.weekly_minutes) / MINUTES_PER_HOUR).quantize(
            Decimal("0.01")
        ),
        "team_lead": domain.Qualification.TEAM_LEAD in qualifications,
        "desk": domain.Qualification.DESK in qualifications,
        "driver": domain.Qualification.DRIVER in qualifications,
        "active": True,
    }
    staff, _created = StaffMember.objects.update_or_create(
        unit=unit, personnel_number=member.id, defaults=values
    )
    return staff


def _carry_in(instance: domain.Instance) -> dict[str, dict[str, object]]:
    if not instance.history:
        return {}
    return {
        member.id: {"last": carried.last_shift or "", "consec": carried.consecutive_days}
        for member, carried in zip(instance.staff, instance.history, strict=True)
    }


def _post_people(demand: domain.ShiftDemand) -> dict[Post, tuple[int, int]]:
    """(minimum, target) people per post. The patrol takes what the posts leave of the minimum
    and everything between minimum and target."""
    counts = dict(demand.posts)
    pairs = counts.get(domain.Post.PATROL_PAIR, 0)
    leads = max(demand.team_leads, counts.get(domain.Post.TEAM_LEAD, 0))
    desk, mobile = counts.get(domain.Post.DESK, 0), counts.get(domain.Post.MOBILE, 0)
    patrol = 2 * pairs + max(0, demand.minimum - (2 * pairs + leads + desk + mobile))
    extra = max(0, demand.target - demand.minimum)
    return {
        Post.PATROL_PAIR: (patrol, patrol + extra),
        Post.TEAM_LEAD: (leads, leads),
        Post.DESK: (desk, desk),
        Post.MOBILE: (mobile, mobile),
    }


def _demand_rules(
    plan: RosterPlan, instance: domain.Instance, shifts: dict[str, ShiftType]
) -> Iterator[DemandRule]:
    """One rule per post and shift when the numbers are the same every day, else one dated rule
    for each day that needs anyone."""
    for s, shift in enumerate(instance.shift_types):
        per_day = [_post_people(day[s]) for day in instance.demand]
        for post in Post:
            numbers = [people[post] for people in per_day]
            if len(set(numbers)) == 1:
                minimum, target = numbers[0]
                if target:
                    yield DemandRule(
                        unit=plan.unit,
                        plan=plan,
                        post=post,
                        shift_type=shifts[shift.code],
                        minimum=minimum,
                        target=target,
                    )
                continue
            for d, (minimum, target) in enumerate(numbers):
                if target:
                    yield DemandRule(
                        unit=plan.unit,
                        plan=plan,
                        post=post,
                        shift_type=shifts[shift.code],
                        on_date=instance.date_of(d),
                        minimum=minimum,
                        target=target,
                    )


def _absences(
    instance: domain.Instance, staff: Sequence[StaffMember], by: User | None
) -> list[Absence]:
    """Runs of days of the same person and kind as one absence each; days already recorded are
    left out."""
    first, last = instance.start, instance.date_of(instance.n_days - 1)
    known = _days_recorded(
        Absence.objects.filter(staff__in=staff, first_day__lte=last, last_day__gte=first)
    )
    rows: list[Absence] = []
    days = sorted(
        (a.person, a.day, a.kind)
        for a in instance.absences
        if (staff[a.person].pk, instance.date_of(a.day)) not in known
    )
    for person, day, kind in days:
        when = instance.date_of(day)
        previous = rows[-1] if rows else None
        if (
            previous is not None
            and previous.staff == staff[person]
            and previous.kind == kind
            and previous.last_day == when - timedelta(days=1)
        ):
            previous.last_day = when
            continue
        rows.append(
            Absence(
                staff=staff[person], kind=str(kind), first_day=when, last_day=when, created_by=by
            )
        )
    return rows


def _days_recorded(rows: Iterable[Absence]) -> set[tuple[int, date]]:
    days: set[tuple[int, date]] = set()
    for row in rows:
        days |= {
            (row.staff_id, row.first_day + timedelta(days=d))
            for d in range((row.last_day - row.first_day).days + 1)
        }
    return days


def _wishes(
    instance: domain.Instance, staff: Sequence[StaffMember], shifts: dict[str, ShiftType]
) -> list[Wish]:
    first, last = instance.start, instance.date_of(instance.n_days - 1)
    known = set(
        Wish.objects.filter(staff__in=staff, day__range=(first, last)).values_list(
            "staff_id", "day"
        )
    )
    rows = []
    for wish in instance.wishes:
        member, when = staff[wish.person], instance.date_of(wish.day)
        if (member.pk, when) in known:
            continue
        known.add((member.pk, when))
        rows.append(
            Wish(
                staff=member,
                day=when,
                kind=str(wish.kind),
                shift_type=shifts.get(wish.shift) if wish.shift else None,
            )
        )
    return rows
