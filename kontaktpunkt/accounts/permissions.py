"""The one place that decides who may do what.

A person's capabilities follow from the roles they hold (Membership). Capabilities that concern a unit's
work (its queue, its concerns) hold for the units in which the role is held; the others hold everywhere.
"""

from __future__ import annotations

from enum import StrEnum

from kontaktpunkt.accounts.models import Membership, Role, User


class Perm(StrEnum):
    CONCERN_RECORD = "concern.record"  # record a concern at a desk or in the field
    CONCERN_VIEW_UNIT = "concern.view_unit"  # see the concerns of one's own units
    CONCERN_VIEW_ALL = "concern.view_all"  # see every concern that is not confidential
    CONCERN_EDIT = "concern.edit"  # work a concern: notes, replies, status
    CONCERN_ASSIGN = "concern.assign"  # assign to units and people, triage
    CONCERN_MODERATE = "concern.moderate"  # release a concern for the public map
    FIELD_WORK = "operations.field"  # log patrols, controls, measures
    OPERATIONS_PLAN = "operations.plan"  # patrol plans, joint operations
    ROSTER_VIEW = "roster.view"  # the published rosters (who is on duty), without absences
    ROSTER_VIEW_OWN = "roster.view_own"  # one's own published duties and calendar link
    ROSTER_PLAN = "roster.plan"  # plan the rosters of one's own units: solve, edit, publish
    STREETWORK_CONFIDENTIAL = "streetwork.confidential"  # social-work notes and client contacts
    PARTNER_RESPOND = "partner.respond"  # answer forwarded concerns
    REPORTS_VIEW = "reports.view"  # dashboards, committee reports (aggregates only)
    ADMIN_CONFIGURE = "admin.configure"  # users, units, categories, rules, zones
    PRIVACY_AUDIT = "privacy.audit"  # access log, subject-access export, erasure


UNIT_SCOPED = frozenset(
    {Perm.CONCERN_VIEW_UNIT, Perm.CONCERN_EDIT, Perm.PARTNER_RESPOND, Perm.ROSTER_PLAN}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.DESK_CLERK: frozenset(
        {
            Perm.CONCERN_RECORD,
            Perm.CONCERN_VIEW_UNIT,
            Perm.CONCERN_VIEW_ALL,
            Perm.CONCERN_EDIT,
            Perm.CONCERN_ASSIGN,
            Perm.ROSTER_VIEW,
        }
    ),
    Role.KOD_OFFICER: frozenset(
        {
            Perm.CONCERN_RECORD,
            Perm.CONCERN_VIEW_UNIT,
            Perm.CONCERN_EDIT,
            Perm.FIELD_WORK,
            Perm.ROSTER_VIEW_OWN,
        }
    ),
    Role.KOD_LEAD: frozenset(
        {
            Perm.CONCERN_RECORD,
            Perm.CONCERN_VIEW_UNIT,
            Perm.CONCERN_VIEW_ALL,
            Perm.CONCERN_EDIT,
            Perm.CONCERN_ASSIGN,
            Perm.CONCERN_MODERATE,
            Perm.FIELD_WORK,
            Perm.OPERATIONS_PLAN,
            Perm.ROSTER_VIEW,
            Perm.ROSTER_VIEW_OWN,
            Perm.ROSTER_PLAN,
            Perm.REPORTS_VIEW,
        }
    ),
    Role.STREETWORKER: frozenset(
        {
            Perm.CONCERN_RECORD,
            Perm.CONCERN_VIEW_UNIT,
            Perm.CONCERN_EDIT,
            Perm.STREETWORK_CONFIDENTIAL,
        }
    ),
    Role.PARTNER: frozenset({Perm.CONCERN_VIEW_UNIT, Perm.PARTNER_RESPOND}),
    Role.ANALYST: frozenset({Perm.REPORTS_VIEW}),
    # Administrators configure the system; they do not read concerns (data minimisation).
    Role.ADMIN: frozenset({Perm.ADMIN_CONFIGURE, Perm.REPORTS_VIEW}),
    Role.DPO: frozenset({Perm.PRIVACY_AUDIT, Perm.REPORTS_VIEW}),
}


def roles_of(user: User) -> set[Role]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return {Role(m.role) for m in _memberships(user)}


def user_has_perm(user: User, perm: Perm, *, unit_id: int | None = None) -> bool:
    """Whether `user` holds `perm`; for unit-scoped capabilities, in the unit `unit_id` when given."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for membership in _memberships(user):
        if perm not in ROLE_PERMISSIONS[Role(membership.role)]:
            continue
        if unit_id is None or perm not in UNIT_SCOPED or membership.unit_id == unit_id:
            return True
    return False


def units_with_perm(user: User, perm: Perm) -> set[int]:
    """The ids of the units in which `user` holds `perm` by a membership there."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {m.unit_id for m in _memberships(user) if perm in ROLE_PERMISSIONS[Role(m.role)]}


def _memberships(user: User) -> list[Membership]:
    cached: list[Membership] | None = getattr(user, "_kp_memberships", None)
    if cached is None:
        # a membership in a unit that was switched off grants nothing
        cached = list(user.memberships.filter(unit__active=True))
        user._kp_memberships = cached  # type: ignore[attr-defined]
    return cached


def memberships_forget(user: User) -> None:
    """Drop the memberships cached on `user` (after they changed)."""
    user.__dict__.pop("_kp_memberships", None)
