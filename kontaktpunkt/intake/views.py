"""The intake desk: one screen to record a concern, and the fragments its type-ahead, the proposal
from the text and the duplicate hint ask for."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.geo.gazetteer import gazetteer_nearest, gazetteer_search, map_backdrop
from kontaktpunkt.intake.forms import (
    ClassificationQueryForm,
    DeskForm,
    DuplicateQueryForm,
    SuggestQueryForm,
    desk_classification,
    desk_duplicate_preview,
    desk_initial,
    desk_record,
)
from kontaktpunkt.intake.selectors import concerns_visible_to
from kontaktpunkt.intake.suggest import category_suggestions

SUGGESTIONS = 8


@perm_required(Perm.CONCERN_RECORD)
@require_http_methods(["GET", "POST"])
def desk(request: AuthedRequest) -> HttpResponse:
    initial = desk_initial(user=request.user, session=request.session)
    form = DeskForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        record = desk_record(form=form, by=request.user, session=request.session)
        text = (
            _("Concern %(reference)s recorded.")
            if record.created
            else _("Concern %(reference)s had already been recorded; it was not recorded twice.")
        )
        messages.success(request, text % {"reference": record.concern.reference})
        if concerns_visible_to(request.user).filter(pk=record.concern.pk).exists():
            return redirect("cases:detail", record.concern.reference)
        return redirect("intake:desk")  # recorded for a unit whose cases this person does not see
    context = {
        "form": form,
        "backdrop": map_backdrop(),
        "tile_url": settings.KP_MAP_TILE_URL,
        "duplicates": desk_duplicate_preview(form=form, user=request.user),
        "classification": desk_classification(form=form),
    }
    return render(request, "intake/desk.html", context, status=400 if form.is_bound else 200)


@perm_required(Perm.CONCERN_RECORD)
@require_GET
def suggest_categories(request: AuthedRequest) -> HttpResponse:
    query = SuggestQueryForm(request.GET).query()
    suggestions = category_suggestions(query=query, limit=SUGGESTIONS) if query else []
    context = {"suggestions": suggestions, "query": query}
    return render(request, "intake/desk.html#category_options", context)


@perm_required(Perm.CONCERN_RECORD)
@require_GET
def classification(request: AuthedRequest) -> HttpResponse:
    proposal = ClassificationQueryForm(request.GET).suggestion()
    return render(request, "intake/desk.html#classification", {"classification": proposal})


@perm_required(Perm.CONCERN_RECORD)
@require_GET
def suggest_places(request: AuthedRequest) -> HttpResponse:
    form = SuggestQueryForm(request.GET)
    query, point = form.query(), form.point()
    if point is not None and not query:
        near = gazetteer_nearest(lat=point[0], lon=point[1])
        return render(request, "intake/desk.html#nearby", {"near": near})
    hits = gazetteer_search(query=query, limit=SUGGESTIONS) if query else []
    return render(request, "intake/desk.html#place_options", {"hits": hits, "query": query})


@perm_required(Perm.CONCERN_RECORD)
@require_GET
def duplicates(request: AuthedRequest) -> HttpResponse:
    preview = DuplicateQueryForm(request.GET).preview(user=request.user)
    return render(request, "intake/desk.html#duplicates", {"duplicates": preview})
