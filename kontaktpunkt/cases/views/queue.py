"""The queue page: a unit's concerns or one's own, filtered, sorted, paged; counts; saved filters.

With htmx a filter change swaps only the results (`cases/queue.html#results`) and the counts are
fetched afterwards (`#counts`); without JavaScript every link and form gives the full page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.cases import queries
from kontaktpunkt.cases.forms import QueueFilterForm, SavedFilterForm
from kontaktpunkt.cases.models import SavedFilter
from kontaktpunkt.cases.saved_filters import saved_filter_create, saved_filter_delete
from kontaktpunkt.core.types import AuthedRequest

_CURSORS = ("after", "before")


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    return _render(request, "results", _queue_context(request, request.GET))


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_GET
def queue_counts(request: AuthedRequest) -> HttpResponse:
    fragment = _wants_fragment(request)
    context = _queue_context(request, request.GET, with_page=not fragment, with_counts=True)
    return _render(request, "counts", context)


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_POST
def filter_save(request: AuthedRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_filter_create(
                owner=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _('Filter "%(name)s" saved.') % {"name": saved.name})
            return redirect(f"{reverse('cases:queue')}?{saved.query}")
    params = QueryDict(str(form.data.get("query", "")).lstrip("?"))
    return render(request, "cases/queue.html", _queue_context(request, params, save_form=form))


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_POST
def filter_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
    saved_filter_delete(saved_filter=saved, by=request.user)
    messages.success(request, _('Filter "%(name)s" deleted.') % {"name": saved.name})
    return redirect("cases:queue")


def _queue_context(
    request: AuthedRequest,
    params: QueryDict,
    *,
    save_form: SavedFilterForm | None = None,
    with_page: bool = True,
    with_counts: bool = False,
) -> dict[str, Any]:
    user, now = request.user, timezone.now()
    scope = queries.queue_scope_resolve(
        user=user, scope=params.get("scope"), unit_slug=params.get("unit")
    )
    form = QueueFilterForm(params, assignees=queries.queue_assignees(scope=scope, user=user))
    base = _query(params, drop=_CURSORS)
    context: dict[str, Any] = {
        "scope": scope,
        "form": form,
        "now": now,
        "base_query": base,
        "status_query": _query(params, drop=(*_CURSORS, "status")),
        "field_query": _query(params, drop=(*_CURSORS, "field", "category")),
        "saved_filters": queries.saved_filters_of(owner=user),
        "save_form": save_form or SavedFilterForm(),
    }
    if not form.is_valid():
        return context
    flt = form.queue_filter()
    if with_page:
        concerns = queries.queue_concerns(user=user, scope=scope, flt=flt, now=now)
        page = queries.queue_page(
            concerns, sort=flt.sort, after=params.get("after"), before=params.get("before")
        )
        context["page"] = page
        context["next_query"] = _query(params, drop=_CURSORS, after=page.next_cursor)
        context["prev_query"] = _query(params, drop=_CURSORS, before=page.prev_cursor)
    if with_counts:
        context["counts"] = queries.queue_counts(user=user, scope=scope, flt=flt, now=now)
    return context


def _query(params: QueryDict, *, drop: tuple[str, ...], **add: str | None) -> str:
    """`params` as a query string without empty values and the names in `drop`, plus `add`."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name not in drop and (kept := [v for v in values if v]):
            query.setlist(name, kept)
    for name, value in add.items():
        if value:
            query[name] = value
    return query.urlencode()


def _wants_fragment(request: AuthedRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _render(request: AuthedRequest, fragment: str, context: dict[str, Any]) -> HttpResponse:
    template = "cases/queue.html"
    if _wants_fragment(request):
        template += f"#{fragment}"
    response = render(request, template, context)
    return response
