"""Imports of roster instances: the JSON format of shared/data/roster/, or planners' CSV files.
A file that is not an instance answers 400 with the reason in German."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.roster.forms import CsvImportForm, JsonImportForm
from kontaktpunkt.roster.imports import CsvFiles, ImportRefused, plan_import_csv, plan_import_json
from kontaktpunkt.roster.models import RosterPlan
from kontaktpunkt.roster.selectors import units_planned_by


@perm_required(Perm.ROSTER_PLAN)
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    units = Unit.objects.filter(pk__in=units_planned_by(request.user), active=True)
    json_form, csv_form = JsonImportForm(units=units), CsvImportForm(units=units)
    if request.method == "GET":
        return _page(request, json_form, csv_form)
    form: JsonImportForm | CsvImportForm
    if request.POST.get("format") == "csv":
        form = csv_form = CsvImportForm(request.POST, request.FILES, units=units)
    else:
        form = json_form = JsonImportForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _page(request, json_form, csv_form, status=400)
    try:
        plan = _import(request, form)
    except ImportRefused as refused:
        form.add_error(None, str(refused))
        return _page(request, json_form, csv_form, status=400)
    messages.success(request, _('The roster "%(name)s" was imported.') % {"name": plan.name})
    return redirect("roster:plan", pk=plan.pk)


def _import(request: AuthedRequest, form: JsonImportForm | CsvImportForm) -> RosterPlan:
    data = form.cleaned_data
    if isinstance(form, JsonImportForm):
        return plan_import_json(unit=data["unit"], content=data["file"].read(), by=request.user)
    files = CsvFiles(
        staff=form.content("staff_file"),
        demand=form.content("demand_file"),
        absences=form.content("absences_file"),
        wishes=form.content("wishes_file"),
    )
    return plan_import_csv(
        unit=data["unit"],
        name=data["name"],
        start=data["start"],
        n_days=data["n_days"],
        files=files,
        by=request.user,
    )


def _page(
    request: AuthedRequest, json_form: Any, csv_form: Any, *, status: int = 200
) -> HttpResponse:
    context = {"json_form": json_form, "csv_form": csv_form}
    return render(request, "roster/import.html", context, status=status)
