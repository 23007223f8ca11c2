"""Downloads of a roster: CSV, the PDF of one month (A4 landscape), and each person's calendar
feed, reached by a secret link without signing in (calendar programmes cannot sign in)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.roster.board import board_build
from kontaktpunkt.roster.exports import duty_events, month_days, pdf_render, roster_csv
from kontaktpunkt.roster.forms import MonthForm
from kontaktpunkt.roster.ical import calendar_text
from kontaktpunkt.roster.models import RosterPlan
from kontaktpunkt.roster.selectors import (
    PlanSnapshot,
    duties_published,
    plan_can_edit,
    plan_get_visible,
    plan_snapshot,
    staff_by_token,
    version_shown,
)
from kontaktpunkt.roster.validator import roster_validate

CALENDAR_PAST_DAYS = 31
CALENDAR_FUTURE_DAYS = 400


@perm_required(Perm.ROSTER_VIEW)
@require_GET
def export_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    snapshot, _planner = _snapshot(request, pk)
    response = HttpResponse(roster_csv(snapshot), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(snapshot)}.csv"'
    return response


@perm_required(Perm.ROSTER_VIEW)
@require_GET
def export_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    snapshot, planner = _snapshot(request, pk)
    month = MonthForm(request.GET).month(default=snapshot.plan.start)
    days = month_days(snapshot, month)
    if not days:
        raise Http404
    violations = roster_validate(snapshot.instance, snapshot.roster) if planner else ()
    board = board_build(
        snapshot,
        violations,
        editable=False,
        cell_url=lambda member, day: "",
        private=planner,
        days=days,
    )
    html = render_to_string(
        "roster/pdf.html",
        {
            "plan": snapshot.plan,
            "version": snapshot.version,
            "board": board,
            "month": month,
            "printed": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(pdf_render(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(snapshot)}-{month:%Y-%m}.pdf"'
    )
    return response


@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    staff = staff_by_token(token)
    if staff is None:
        raise Http404
    today = timezone.localdate()
    duties = duties_published(
        staff=staff,
        first=today - timedelta(days=CALENDAR_PAST_DAYS),
        last=today + timedelta(days=CALENDAR_FUTURE_DAYS),
    )
    text = calendar_text(
        name=staff.name,
        zone=settings.TIME_ZONE,
        events=duty_events(duties, host=request.get_host().split(":")[0]),
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _snapshot(request: AuthedRequest, pk: int) -> tuple[PlanSnapshot, bool]:
    plan = plan_get_visible(user=request.user, pk=pk)
    planner = plan_can_edit(user=request.user, plan=plan)
    version = version_shown(plan, planner=planner)
    if version is None:
        raise Http404
    return plan_snapshot(plan=plan, version=version), planner


def _file_name(snapshot: PlanSnapshot) -> str:
    plan: RosterPlan = snapshot.plan
    number = snapshot.version.number if snapshot.version else 0
    return f"dienstplan-{plan.start:%Y-%m-%d}-v{number}"
