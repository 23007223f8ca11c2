"""The plans and the grid: list and create plans, show the grid, edit a cell (live validation),
calculate, publish, re-plan after a sick call.

Changes are POSTs that call one service. With htmx they answer with the `#board` fragment (the
grid, the violations and the cell editor); without, with a redirect. Bad input answers 400, an edit
conflict 409 — both with the board, so that htmx shows them in place.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.roster.board import cell_token
from kontaktpunkt.roster.forms import CellForm, PlanCreateForm, SickCallForm, SolveForm
from kontaktpunkt.roster.models import Assignment, RosterPlan, StaffMember
from kontaktpunkt.roster.selectors import (
    plan_can_edit,
    plan_get_visible,
    plans_visible_to,
    solve_run_latest,
    units_planned_by,
    version_shown,
)
from kontaktpunkt.roster.services import RosterRefused, cell_set, plan_create, version_publish
from kontaktpunkt.roster.solving import sick_call_replan, solve_run_start
from kontaktpunkt.roster.views.common import is_htmx, render_plan


@perm_required(Perm.ROSTER_VIEW)
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    return _index(request, PlanCreateForm(units=_units(request), initial={"start": _monday()}))


@perm_required(Perm.ROSTER_PLAN)
@require_POST
def create(request: AuthedRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST, units=_units(request))
    if not form.is_valid():
        return _index(request, form, status=400)
    data = form.cleaned_data
    plan = plan_create(
        unit=data["unit"],
        name=data["name"],
        start=data["start"],
        n_days=data["n_days"],
        by=request.user,
    )
    return redirect("roster:plan", pk=plan.pk)


@perm_required(Perm.ROSTER_VIEW)
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get_visible(user=request.user, pk=pk)
    return render_plan(request, plan)


@perm_required(Perm.ROSTER_PLAN)
@require_http_methods(["GET", "POST"])
def cell(request: AuthedRequest, pk: int, staff: int, day: date) -> HttpResponse:
    """GET: the editor of one cell; POST: save it and answer with the re-validated board."""
    plan = _plannable(request, pk)
    member = get_object_or_404(StaffMember, pk=staff, unit_id=plan.unit_id)
    if not plan.start <= day <= plan.last_day:
        raise Http404
    if request.method == "POST":
        return _cell_save(request, plan, member, day)
    form = CellForm(initial=_cell_initial(plan, member, day))
    return render_plan(request, plan, part="editor", cell_form=form, cell=(member, day), month=day)


def _cell_save(
    request: AuthedRequest, plan: RosterPlan, member: StaffMember, day: date
) -> HttpResponse:
    form = CellForm(request.POST)
    editing: dict[str, Any] = {"cell_form": form, "cell": (member, day), "month": day}
    if not form.is_valid():
        return render_plan(request, plan, status=400, **editing)
    data = form.cleaned_data
    try:
        cell_set(
            plan=plan,
            staff=member,
            day=day,
            shift_type=data["shift_type"],
            post=data["post"],
            expected=data["expected"],
            by=request.user,
        )
    except ConflictError as conflict:  # show what the cell holds now, keep nothing stale
        editing["cell_form"] = CellForm(initial=_cell_initial(plan, member, day))
        return render_plan(request, plan, status=409, conflict=str(conflict), **editing)
    except RosterRefused as refused:
        form.add_error(None, str(refused))
        return render_plan(request, plan, status=400, **editing)
    notice = _("%(name)s on %(day)s saved.") % _cell_words(member, day)
    return _done(request, plan, notice, month=day)


@perm_required(Perm.ROSTER_PLAN)
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plannable(request, pk)
    try:
        version = version_publish(plan=plan, by=request.user)
    except RosterRefused as refused:  # PublishRefused too: the violations show beside the grid
        return render_plan(request, plan, status=400, refusal=str(refused))
    return _done(request, plan, _("Version %(number)d is published.") % {"number": version.number})


@perm_required(Perm.ROSTER_PLAN)
@require_POST
def solve(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plannable(request, pk)
    form = SolveForm(request.POST)
    if not form.is_valid():
        return render_plan(request, plan, status=400, solve_form=form)
    try:
        solve_run_start(plan=plan, time_limit_s=form.cleaned_data["time_limit_s"], by=request.user)
    except RosterRefused as refused:
        form.add_error(None, str(refused))
        return render_plan(request, plan, status=400, solve_form=form)
    messages.success(request, _("The calculation has started."))
    return redirect("roster:plan", pk=plan.pk)


@perm_required(Perm.ROSTER_PLAN)
@require_GET
def solve_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress of the latest calculation; polled by htmx while it runs. When a polled run
    has finished, the page reloads to show the result."""
    plan = _plannable(request, pk)
    if not is_htmx(request):
        return redirect("roster:plan", pk=plan.pk)
    run = solve_run_latest(plan)
    response = render(
        request, "roster/plan.html#progress", {"plan": plan, "run": run, "planner": True}
    )
    if request.GET.get("warte") and (run is None or run.finished):
        response["HX-Refresh"] = "true"
    return response


@perm_required(Perm.ROSTER_PLAN)
@require_POST
def sick_call(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plannable(request, pk)
    form = SickCallForm(request.POST, plan=plan)
    if not form.is_valid():
        return render_plan(request, plan, status=400, sick_form=form)
    data = form.cleaned_data
    try:
        outcome = sick_call_replan(
            plan=plan,
            staff=data["staff"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            by=request.user,
        )
    except RosterRefused as refused:
        form.add_error(None, str(refused))
        return render_plan(request, plan, status=400, sick_form=form)
    count = len(outcome.changes)
    notice = ngettext(
        "Sick call recorded; %(count)d duty changed in the draft. Check it and publish it.",
        "Sick call recorded; %(count)d duties changed in the draft. Check them and publish.",
        count,
    ) % {"count": count}
    return _done(request, plan, notice, replan=outcome)


# --- helpers ------------------------------------------------------------------------------------


def _plannable(request: AuthedRequest, pk: int) -> RosterPlan:
    """The plan, if the person may see it (else 404) and plan its unit (else 403)."""
    plan = plan_get_visible(user=request.user, pk=pk)
    if not plan_can_edit(user=request.user, plan=plan):
        raise PermissionDenied(_("You may not plan this roster."))
    return plan


def _done(request: AuthedRequest, plan: RosterPlan, notice: str, **extra: Any) -> HttpResponse:
    """Done: the board for htmx, else back to the plan (in the month of the change)."""
    if is_htmx(request):
        return render_plan(request, plan, notice=notice, **extra)
    messages.success(request, notice)
    url = reverse("roster:plan", args=[plan.pk])
    month: date | None = extra.get("month")
    return redirect(f"{url}?monat={month:%Y-%m}" if month else url)


def _index(request: AuthedRequest, form: PlanCreateForm, *, status: int = 200) -> HttpResponse:
    context = {
        "plans": plans_visible_to(request.user),
        "create_form": form if units_planned_by(request.user) else None,
    }
    return render(request, "roster/index.html", context, status=status)


def _units(request: AuthedRequest) -> Any:
    return Unit.objects.filter(pk__in=units_planned_by(request.user), active=True)


def _cell_initial(plan: RosterPlan, member: StaffMember, day: date) -> dict[str, Any]:
    """The cell as the planner sees it (in the draft, else the published version)."""
    version = version_shown(plan, planner=True)
    duty = (
        Assignment.objects.filter(version=version, staff=member, day=day)
        .select_related("shift_type")
        .first()
        if version is not None
        else None
    )
    if duty is None:
        return {"shift_type": None, "post": "", "expected": ""}
    return {
        "shift_type": duty.shift_type,
        "post": duty.post,
        "expected": cell_token(duty.shift_type.code, duty.post),
    }


def _cell_words(member: StaffMember, day: date) -> dict[str, str]:
    return {"name": member.name, "day": f"{day:%d.%m.%Y}"}


def _monday() -> date:
    """Monday of next week, the usual first day of a new plan."""
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())
