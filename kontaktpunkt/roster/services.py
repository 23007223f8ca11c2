"""Every write of the duty roster, each in one transaction with its audit row (RosterEvent).

A plan has versions: the planner works on the draft (created on the first change as a copy of the
published version), the solver writes into it, a sick call is re-planned into it, and publishing
makes it the version that officers, exports and calendar feeds read — only when the independent
validator finds no violation. The writes that run the solver (a calculation, the re-plan after a
sick call) live in `solving.py`, imports of instances in `imports.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.intake.models import IntakePoint, IntakePointKind
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.board import cell_token
from kontaktpunkt.roster.demand import shift_demand
from kontaktpunkt.roster.models import (
    Absence,
    AbsenceKind,
    Assignment,
    DemandRule,
    EventKind,
    Post,
    RosterEvent,
    RosterPlan,
    RosterVersion,
    ShiftType,
    StaffMember,
    VersionStatus,
    Wish,
    WishKind,
    calendar_token_new,
)
from kontaktpunkt.roster.posts import post_for_newcomer
from kontaktpunkt.roster.selectors import (
    demand_specs,
    plan_snapshot,
    shift_type_domain,
    version_draft,
    version_published,
)
from kontaktpunkt.roster.validator import Violation, roster_validate

# Default demand of a unit without rules: patrols in pairs and a team lead on every shift; the desk
# of each contact point and the Mobile Wache of each mobile station while they are open.
DEFAULT_PATROL = (8, 10)
DEFAULT_TEAM_LEAD = (1, 1)
DEFAULT_POINT_POSTS = {
    IntakePointKind.CONTACT_POINT: (Post.DESK, 1),
    IntakePointKind.MOBILE_STATION: (Post.MOBILE, 2),
}


class RosterRefused(Exception):  # noqa: N818
    """A change a roster rule forbids; the message is German and shown (HTTP 400)."""


class PublishRefused(RosterRefused):
    """The draft breaks rules: it cannot be published until the violations are fixed."""

    def __init__(self, violations: tuple[Violation, ...]) -> None:
        count = len(violations)
        super().__init__(
            ngettext(
                "The roster breaks %(count)d rule and cannot be published yet.",
                "The roster breaks %(count)d rules and cannot be published yet.",
                count,
            )
            % {"count": count}
        )
        self.violations = violations


# --- plans and versions -------------------------------------------------------------------------


def plan_create(*, unit: Unit, name: str, start: date, n_days: int, by: User | None) -> RosterPlan:
    """A new plan with an empty draft (version 1)."""
    with transaction.atomic():
        plan = RosterPlan.objects.create(
            unit=unit, name=name, start=start, n_days=n_days, created_by=by
        )
        version = RosterVersion.objects.create(plan=plan, number=1, created_by=by)
        event_log(plan, version, EventKind.CREATED, by)
    return plan


def draft_ensure(*, plan: RosterPlan, by: User | None) -> RosterVersion:
    """The plan's draft; when there is none, a new one that copies the published version. Call
    inside a transaction that holds the plan's lock (`_plan_locked`)."""
    draft = version_draft(plan)
    if draft is not None:
        return draft
    published = version_published(plan)
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    draft = RosterVersion.objects.create(plan=plan, number=last + 1, created_by=by)
    if published is not None:
        Assignment.objects.bulk_create(
            Assignment(
                version=draft,
                staff_id=a.staff_id,
                day=a.day,
                shift_type_id=a.shift_type_id,
                post=a.post,
            )
            for a in published.assignments.all()
        )
    return draft


def version_publish(*, plan: RosterPlan, by: User | None) -> RosterVersion:
    """Publish the draft; refused while the validator finds any violation."""
    with transaction.atomic():
        locked = plan_locked(plan)
        draft = version_draft(locked)
        if draft is None:
            raise RosterRefused(_("There is no draft to publish."))
        snapshot = plan_snapshot(plan=locked, version=draft)
        violations = roster_validate(snapshot.instance, snapshot.roster)
        if violations:
            raise PublishRefused(violations)
        locked.versions.filter(status=VersionStatus.PUBLISHED).update(
            status=VersionStatus.SUPERSEDED
        )
        draft.status = VersionStatus.PUBLISHED
        draft.published_at = timezone.now()
        draft.published_by = by
        draft.save(update_fields=["status", "published_at", "published_by"])
        event_log(locked, draft, EventKind.PUBLISHED, by)
    return draft


# --- editing one cell ---------------------------------------------------------------------------


def cell_set(
    *,
    plan: RosterPlan,
    staff: StaffMember,
    day: date,
    shift_type: ShiftType | None,
    post: str,
    expected: str,
    by: User,
) -> RosterVersion:
    """Put a person on a shift and post on a day of the draft, or give the day off (`shift_type`
    None). `expected` is what the cell held when the page was drawn (`board.cell_token`); if it
    holds something else now, someone changed it in between: ConflictError (HTTP 409). Without a
    post the person gets the post still open on the shift."""
    if not plan.start <= day <= plan.last_day:
        raise RosterRefused(_("The day lies outside this roster."))
    if staff.unit_id != plan.unit_id:
        raise RosterRefused(_("This person is not on the staff of this roster's unit."))
    with transaction.atomic():
        locked = plan_locked(plan)
        draft = draft_ensure(plan=locked, by=by)
        current = (
            Assignment.objects.filter(version=draft, staff=staff, day=day)
            .select_related("shift_type")
            .first()
        )
        before = cell_token(current.shift_type.code, current.post) if current else ""
        if before != expected:
            raise ConflictError(
                _("Someone else changed this cell in the meantime."), current_version=draft.number
            )
        after = _cell_write(locked, draft, staff, day, shift_type, post)
        if after != before:
            change = [staff.pk, day.isoformat(), before, after]
            event_log(locked, draft, EventKind.EDITED, by, changes=[change])
    return draft


def _cell_write(
    plan: RosterPlan,
    draft: RosterVersion,
    staff: StaffMember,
    day: date,
    shift_type: ShiftType | None,
    post: str,
) -> str:
    duties = Assignment.objects.filter(version=draft, staff=staff, day=day)
    if shift_type is None:
        duties.delete()
        return ""
    chosen = post or _post_open(plan, draft, staff, day, shift_type)
    Assignment.objects.update_or_create(
        version=draft,
        staff=staff,
        day=day,
        defaults={"shift_type": shift_type, "post": chosen},
    )
    return cell_token(shift_type.code, chosen)


def _post_open(
    plan: RosterPlan, draft: RosterVersion, staff: StaffMember, day: date, shift_type: ShiftType
) -> str:
    demand = shift_demand(demand_specs(plan), shift_type_domain(shift_type), day)
    taken = (
        Assignment.objects.filter(version=draft, day=day, shift_type=shift_type)
        .exclude(staff=staff)
        .values_list("post", flat=True)
    )
    qualifications = frozenset(domain.Qualification(q) for q in staff.qualifications)
    return str(post_for_newcomer(demand, qualifications, [domain.Post(p) for p in taken if p]))


# --- staff, absences, wishes, demand ------------------------------------------------------------


def staff_member_create(
    *,
    unit: Unit,
    personnel_number: str,
    name: str,
    weekly_hours: Decimal,
    team_lead: bool = False,
    desk: bool = False,
    driver: bool = False,
    user: User | None = None,
) -> StaffMember:
    return StaffMember.objects.create(
        unit=unit,
        personnel_number=personnel_number,
        name=name,
        weekly_hours=weekly_hours,
        team_lead=team_lead,
        desk=desk,
        driver=driver,
        user=user,
    )


def absence_create(
    *,
    staff: StaffMember,
    kind: AbsenceKind,
    first_day: date,
    last_day: date,
    by: User | None,
    note: str = "",
) -> Absence:
    if first_day > last_day:
        raise RosterRefused(_("An absence cannot end before it begins."))
    return Absence.objects.create(
        staff=staff, kind=kind, first_day=first_day, last_day=last_day, note=note, created_by=by
    )


def wish_create(
    *,
    staff: StaffMember,
    day: date,
    kind: WishKind = WishKind.DAY_OFF,
    shift_type: ShiftType | None = None,
) -> Wish:
    if (kind == WishKind.SHIFT) != (shift_type is not None):
        raise RosterRefused(_("A shift wish names its shift; a day off names none."))
    return Wish.objects.create(staff=staff, day=day, kind=kind, shift_type=shift_type)


def demand_rules_defaults_create(*, unit: Unit) -> list[DemandRule]:
    """The default demand of a unit that has no rules yet: patrol pairs and a team lead on every
    shift, the desk and the Mobile Wache while the unit's intake points are open."""
    if DemandRule.objects.filter(unit=unit, plan__isnull=True).exists():
        return []
    rules = [
        DemandRule(
            unit=unit, post=Post.PATROL_PAIR, minimum=DEFAULT_PATROL[0], target=DEFAULT_PATROL[1]
        ),
        DemandRule(
            unit=unit,
            post=Post.TEAM_LEAD,
            minimum=DEFAULT_TEAM_LEAD[0],
            target=DEFAULT_TEAM_LEAD[1],
        ),
    ]
    points = IntakePoint.objects.filter(units=unit, active=True, kind__in=list(DEFAULT_POINT_POSTS))
    for point in points.order_by("name"):
        post, count = DEFAULT_POINT_POSTS[IntakePointKind(point.kind)]
        rules.append(
            DemandRule(
                unit=unit,
                post=post,
                intake_point=point,
                minimum=count,
                target=count,
                note=point.name,
            )
        )
    return DemandRule.objects.bulk_create(rules)


def calendar_token_renew(*, staff: StaffMember) -> StaffMember:
    """A new secret for the person's calendar link; the old link stops working."""
    staff.calendar_token = calendar_token_new()
    staff.save(update_fields=["calendar_token"])
    return staff


# --- helpers ------------------------------------------------------------------------------------


def plan_locked(plan: RosterPlan) -> RosterPlan:
    return RosterPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)


def event_log(
    plan: RosterPlan,
    version: RosterVersion | None,
    kind: EventKind,
    by: User | None,
    *,
    text: str = "",
    changes: Sequence[list[object]] = (),
) -> RosterEvent:
    return RosterEvent.objects.create(
        plan=plan, version=version, kind=kind, actor=by, text=text, changes=list(changes)
    )
