"""What the roster views share: the plan page's context and how it is answered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.roster.board import board_build
from kontaktpunkt.roster.exports import month_days, plan_months
from kontaktpunkt.roster.forms import MonthForm, SickCallForm, SolveForm
from kontaktpunkt.roster.models import RosterPlan, StaffMember
from kontaktpunkt.roster.selectors import (
    plan_can_edit,
    plan_events,
    plan_snapshot,
    solve_run_latest,
    version_draft,
    version_published,
    version_shown,
)
from kontaktpunkt.roster.validator import roster_validate


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def plan_context(
    request: AuthedRequest, plan: RosterPlan, *, month: date | None = None, **extra: Any
) -> dict[str, Any]:
    """The plan page. A plan longer than PAGE_DAYS shows one month at a time (`?monat=`, or the
    month of `month`); the violations are those of the whole plan."""
    planner = plan_can_edit(user=request.user, plan=plan)
    version = version_shown(plan, planner=planner)
    snapshot = plan_snapshot(plan=plan, version=version)
    violations = roster_validate(snapshot.instance, snapshot.roster) if planner and version else ()
    shown = month or MonthForm(request.GET).month(default=_month_default(plan))
    board = board_build(
        snapshot,
        violations,
        editable=planner,
        cell_url=_cell_url(plan) if planner else _no_url,
        private=planner,
        days=month_days(snapshot, shown) if plan.n_days > PAGE_DAYS else None,
    )
    context: dict[str, Any] = {
        "plan": plan,
        "version": version,
        "draft": version_draft(plan),
        "published": version_published(plan),
        "board": board,
        "planner": planner,
        "months": plan_months(snapshot),
        "month": shown.replace(day=1) if plan.n_days > PAGE_DAYS else None,
        "run": solve_run_latest(plan) if planner else None,
        "events": plan_events(plan) if planner else [],
        "solve_form": SolveForm(),
        "sick_form": SickCallForm(plan=plan),
    }
    context.update(extra)
    return context


def render_plan(
    request: AuthedRequest,
    plan: RosterPlan,
    *,
    status: int = 200,
    part: str = "board",
    **extra: Any,
) -> HttpResponse:
    """The plan page, or for htmx one fragment of it; the board fragment brings the plan's status
    and actions along (out of band), since a change of a cell can create a draft."""
    fragment = is_htmx(request)
    template = f"roster/plan.html#{part}" if fragment else "roster/plan.html"
    context = plan_context(request, plan, oob=fragment and part == "board", **extra)
    return render(request, template, context, status=status)


PAGE_DAYS = 35  # longer plans are shown a month at a time
CellUrl = Callable[[StaffMember, date], str]


def _month_default(plan: RosterPlan) -> date:
    today = timezone.localdate()
    return today if plan.start <= today <= plan.last_day else plan.start


_SAMPLE = "0/1970-01-01/"


def _cell_url(plan: RosterPlan) -> CellUrl:
    """The URL of each cell without a `reverse` per cell (a grid has about 1,400 cells)."""
    prefix = reverse("roster:cell", args=[plan.pk, 0, "1970-01-01"]).removesuffix(_SAMPLE)

    def url(member: StaffMember, day: date) -> str:
        return f"{prefix}{member.pk}/{day.isoformat()}/"

    return url


def _no_url(member: StaffMember, day: date) -> str:
    return ""
