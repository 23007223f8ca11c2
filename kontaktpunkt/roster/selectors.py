"""Reads of the duty roster: who sees which plan, the versions, and a plan as a solver instance.

`plan_snapshot` is the bridge between the database and the pure core: the staff of the plan's unit
(and anyone with a duty in the version), the shift types, the demand from the rules, the absences,
wishes and the state before the first day, as an `Instance`, and the version's duties as a `Roster`
(people by their position in `snapshot.staff`, days as offsets from the plan's first day).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, units_with_perm, user_has_perm
from kontaktpunkt.core.business_time import opening_intervals
from kontaktpunkt.core.selectors import schedule_spec
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.demand import DemandRuleSpec, demand_resolve
from kontaktpunkt.roster.models import (
    Absence,
    Assignment,
    DemandRule,
    RosterEvent,
    RosterPlan,
    RosterVersion,
    ShiftType,
    SolveRun,
    StaffMember,
    VersionStatus,
    Wish,
)

HISTORY_DAYS = 14  # how far back the state before a plan is looked up in the published rosters


# --- who sees what ------------------------------------------------------------------------------


def plans_visible_to(user: User) -> QuerySet[RosterPlan]:
    """Planners see every plan of the units they plan; viewers the plans with a published version."""
    plans = RosterPlan.objects.select_related("unit")
    if user.is_superuser:
        return plans
    published = RosterVersion.objects.filter(plan=OuterRef("pk"), status=VersionStatus.PUBLISHED)
    seen = Q(unit_id__in=units_with_perm(user, Perm.ROSTER_PLAN))
    if user_has_perm(user, Perm.ROSTER_VIEW):
        seen |= Q(Exists(published))
    return plans.filter(seen)


def plan_get_visible(*, user: User, pk: int) -> RosterPlan:
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_can_edit(*, user: User, plan: RosterPlan) -> bool:
    return user_has_perm(user, Perm.ROSTER_PLAN, unit_id=plan.unit_id)


def units_planned_by(user: User) -> list[int]:
    return sorted(units_with_perm(user, Perm.ROSTER_PLAN))


# --- versions, runs, events ---------------------------------------------------------------------


def version_draft(plan: RosterPlan) -> RosterVersion | None:
    return plan.versions.filter(status=VersionStatus.DRAFT).first()


def version_published(plan: RosterPlan) -> RosterVersion | None:
    return plan.versions.filter(status=VersionStatus.PUBLISHED).first()


def version_shown(plan: RosterPlan, *, planner: bool) -> RosterVersion | None:
    """What a person works on or reads: planners the draft when there is one."""
    return (version_draft(plan) if planner else None) or version_published(plan)


def solve_run_latest(plan: RosterPlan) -> SolveRun | None:
    return plan.solve_runs.order_by("-created_at", "-pk").first()


def plan_events(plan: RosterPlan, *, limit: int = 10) -> QuerySet[RosterEvent]:
    return plan.events.select_related("actor", "version")[:limit]


# --- a person's own duties ----------------------------------------------------------------------


def staff_of_user(user: User) -> StaffMember | None:
    return StaffMember.objects.filter(user=user).select_related("unit").first()


def staff_by_token(token: str) -> StaffMember | None:
    return StaffMember.objects.filter(calendar_token=token, active=True).first()


def duties_published(*, staff: StaffMember, first: date, last: date) -> QuerySet[Assignment]:
    """The person's duties in the published versions, from `first` to `last`."""
    return (
        Assignment.objects.filter(
            staff=staff,
            day__range=(first, last),
            version__status=VersionStatus.PUBLISHED,
        )
        .select_related("shift_type", "version__plan")
        .order_by("day", "shift_type__start")
    )


# --- a plan as an instance ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSnapshot:
    plan: RosterPlan
    version: RosterVersion | None
    staff: tuple[StaffMember, ...]  # index = person in `instance`
    shift_types: tuple[ShiftType, ...]  # in the order of `instance.shift_types`
    instance: domain.Instance
    roster: domain.Roster
    posts: dict[tuple[int, int], str]  # (person, day) → post value of the duty

    @cached_property
    def person_of(self) -> dict[int, int]:
        """staff pk → person index."""
        return {s.pk: p for p, s in enumerate(self.staff)}

    @cached_property
    def shift_by_code(self) -> dict[str, ShiftType]:
        return {s.code: s for s in self.shift_types}

    def day_of(self, when: date) -> int:
        return (when - self.plan.start).days


def plan_snapshot(*, plan: RosterPlan, version: RosterVersion | None) -> PlanSnapshot:
    duties = list(
        Assignment.objects.filter(version=version).select_related("shift_type")
        if version is not None
        else []
    )
    staff = _staff(plan, {a.staff_id for a in duties})
    shift_types = _shift_types({a.shift_type_id for a in duties})
    index = {s.pk: p for p, s in enumerate(staff)}
    domain_shifts = tuple(shift_type_domain(s) for s in shift_types)
    instance = domain.Instance(
        name=plan.name,
        start=plan.start,
        n_days=plan.n_days,
        staff=tuple(staff_domain(s) for s in staff),
        shift_types=domain_shifts,
        demand=demand_resolve(demand_specs(plan), domain_shifts, plan.start, plan.n_days),
        absences=_absences(plan, index),
        wishes=_wishes(plan, index),
        history=_history(plan, staff),
        partners=tuple(
            (p, index[s.preferred_partner_id])
            for p, s in enumerate(staff)
            if s.preferred_partner_id in index
        ),
    )
    grid = {(index[a.staff_id], (a.day - plan.start).days): a.shift_type.code for a in duties}
    posts = {(index[a.staff_id], (a.day - plan.start).days): a.post for a in duties}
    return PlanSnapshot(
        plan=plan,
        version=version,
        staff=tuple(staff),
        shift_types=tuple(shift_types),
        instance=instance,
        roster=domain.Roster.from_grid(grid),
        posts=posts,
    )


def staff_domain(member: StaffMember) -> domain.StaffMember:
    return domain.StaffMember(
        id=member.personnel_number,
        name=member.name,
        weekly_minutes=member.weekly_minutes,
        qualifications=frozenset(domain.Qualification(q) for q in member.qualifications),
    )


def shift_type_domain(shift: ShiftType) -> domain.ShiftType:
    return domain.ShiftType(
        code=shift.code,
        name=shift.name,
        start=shift.start,
        end=shift.end,
        late=shift.start >= time(12),
        unpaid_minutes=shift.unpaid_minutes,
    )


def partners_of(snapshot: PlanSnapshot) -> dict[int, int]:
    """person → preferred partner's person index, for those whose partner is on the plan."""
    return dict(snapshot.instance.partners)


def _staff(plan: RosterPlan, on_duty: set[int]) -> list[StaffMember]:
    members = StaffMember.objects.filter(
        Q(unit_id=plan.unit_id, active=True) | Q(pk__in=on_duty)
    ).order_by("-team_lead", "name", "pk")
    return list(members)


def _shift_types(used: set[int]) -> list[ShiftType]:
    return list(ShiftType.objects.filter(Q(active=True) | Q(pk__in=used)))


def demand_specs(plan: RosterPlan) -> list[DemandRuleSpec]:
    """The plan's own demand rules, else those of its unit, as plain values."""
    rules = DemandRule.objects.filter(plan=plan)
    if not rules.exists():
        rules = DemandRule.objects.filter(unit_id=plan.unit_id, plan__isnull=True)
    rows = rules.select_related("shift_type", "intake_point__schedule").prefetch_related(
        "intake_point__schedule__rules", "intake_point__schedule__dates"
    )
    return [_spec(rule) for rule in rows]


def _spec(rule: DemandRule) -> DemandRuleSpec:
    return DemandRuleSpec(
        post=domain.Post(rule.post),
        minimum=rule.minimum,
        target=rule.target,
        shift=rule.shift_type.code if rule.shift_type else None,
        weekdays=frozenset(int(d) for d in rule.weekdays or ()),
        months=frozenset(int(m) for m in rule.months or ()),
        on_date=rule.on_date,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
        openings=_openings(rule),
    )


def _openings(rule: DemandRule) -> Callable[[date], Sequence[tuple[time, time]]] | None:
    point = rule.intake_point
    if point is None:
        return None
    spec = schedule_spec(point.schedule)
    if not point.active:
        return lambda _day: ()
    return lambda day: opening_intervals(spec, day)


def _absences(plan: RosterPlan, index: dict[int, int]) -> tuple[domain.Absence, ...]:
    rows = Absence.objects.filter(
        staff_id__in=index, first_day__lte=plan.last_day, last_day__gte=plan.start
    ).order_by("first_day", "pk")
    found: list[domain.Absence] = []
    for row in rows:
        first = max(row.first_day, plan.start)
        last = min(row.last_day, plan.last_day)
        found += [
            domain.Absence(
                person=index[row.staff_id],
                day=(first - plan.start).days + offset,
                kind=domain.AbsenceKind(row.kind),
                credit_minutes=row.credit_minutes,
            )
            for offset in range((last - first).days + 1)
        ]
    return tuple(found)


def _wishes(plan: RosterPlan, index: dict[int, int]) -> tuple[domain.Wish, ...]:
    rows = (
        Wish.objects.filter(staff_id__in=index, day__range=(plan.start, plan.last_day))
        .select_related("shift_type")
        .order_by("day", "pk")
    )
    return tuple(
        domain.Wish(
            person=index[w.staff_id],
            day=(w.day - plan.start).days,
            kind=domain.WishKind(w.kind),
            shift=w.shift_type.code if w.shift_type else None,
        )
        for w in rows
    )


def _history(plan: RosterPlan, staff: Sequence[StaffMember]) -> tuple[domain.CarryIn, ...]:
    """The state on the day before the plan: from the plan's own record (an imported instance),
    else from the unit's published duties of the days before."""
    if plan.carry_in:
        return tuple(_carried(plan.carry_in.get(s.personnel_number, {})) for s in staff)
    first = plan.start - timedelta(days=HISTORY_DAYS)
    before = Assignment.objects.filter(
        staff__in=staff,
        day__range=(first, plan.start - timedelta(days=1)),
        version__status=VersionStatus.PUBLISHED,
    ).exclude(version__plan=plan)
    worked: dict[int, dict[date, str]] = {}
    for staff_id, day, code in before.values_list("staff_id", "day", "shift_type__code"):
        worked.setdefault(staff_id, {})[day] = code
    if not worked:
        return ()
    return tuple(_run_before(worked.get(s.pk, {}), plan.start) for s in staff)


def _carried(raw: dict[str, object]) -> domain.CarryIn:
    last = str(raw.get("last") or "")
    consecutive = raw.get("consec", 0)
    return domain.CarryIn(
        last_shift=last or None,
        consecutive_days=int(consecutive) if isinstance(consecutive, int | str) else 0,
    )


def _run_before(days: dict[date, str], start: date) -> domain.CarryIn:
    run = 0
    day = start - timedelta(days=1)
    while day in days:
        run += 1
        day -= timedelta(days=1)
    return domain.CarryIn(last_shift=days.get(start - timedelta(days=1)), consecutive_days=run)
