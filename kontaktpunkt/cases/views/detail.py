"""The case detail (Vorgang) and its actions: assign, change status or category, note or reply,
attach, merge.

Every action is a POST carrying the version the page was rendered with and calls one service. It
answers with the `#case` fragment for htmx and with a redirect otherwise; invalid input re-renders
with status 400, an edit conflict with 409 (showing what changed in between and keeping the input),
an upload over the limit with 413. Objects outside a person's reach answer 404 (cases.access).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, user_has_perm
from kontaktpunkt.cases import workflow
from kontaktpunkt.cases.access import concern_can_assign, concern_can_edit, concern_get_visible
from kontaktpunkt.cases.attachments import limit_upload_size, upload_too_large_message
from kontaktpunkt.cases.detail_forms import (
    AssignForm,
    AttachmentForm,
    CategoryForm,
    MergeForm,
    NoteForm,
    ReplyTemplateChoiceForm,
    TransitionForm,
    VersionedForm,
)
from kontaktpunkt.cases.display import deadline, proposal, timeline
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.cases.services import (
    attachment_add,
    concern_assign,
    concern_categorise,
    concern_transition,
    reply_text_fill,
)
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.intake.duplicates import DuplicateCandidate, duplicate_candidates_of
from kontaktpunkt.intake.models import Concern, ReporterContact, Status
from kontaktpunkt.intake.selectors import concerns_visible_to
from kontaktpunkt.intake.services import ChangeRefused, concern_add_note, concern_merge
from kontaktpunkt.routing.selectors import routing_latest

Action = Callable[[dict[str, Any]], str]
MERGE_CANDIDATES = 5


@login_required
@require_GET
def detail(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if "vorlage" not in request.GET or not concern_can_edit(user=request.user, concern=concern):
        return _render(request, concern)
    choice = ReplyTemplateChoiceForm(request.GET)
    valid = choice.is_valid()
    text = (
        reply_text_fill(body=choice.cleaned_data["vorlage"].body, concern=concern) if valid else ""
    )
    # The reply stays based on the version the page was rendered with (edit conflicts still show).
    version = choice.cleaned_data.get("version") or concern.version
    note_form = NoteForm(initial={"version": version, "visibility": "public", "text": text})
    return _render(request, concern, note_form=note_form, template_form=choice, part="note_form")


@login_required
@require_POST
def assign(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_assign(user=request.user, concern=concern):
        return _forbidden()
    form = AssignForm(request.POST)
    if "refresh" in request.POST:  # show the people of the chosen unit; changes nothing
        form = AssignForm(
            initial={"unit": form.chosen_unit(), "version": request.POST.get("version")}
        )
        return _render(request, concern, assign_form=form, part="assignee_field")

    def action(data: dict[str, Any]) -> str:
        concern_assign(
            concern=concern,
            unit=data["unit"],
            assignee=data["assignee"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("The concern was assigned.")

    return _apply(request, concern, "assign_form", form, action)


@login_required
@require_POST
def transition(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_edit(user=request.user, concern=concern):
        return _forbidden()

    def action(data: dict[str, Any]) -> str:
        to = Status(data["to"])
        concern_transition(
            concern=concern, to=to, by=request.user, expected_version=data["version"]
        )
        return _("The status is now %(status)s.") % {"status": to.label}

    return _apply(request, concern, "transition_form", TransitionForm(request.POST), action)


@login_required
@require_POST
def categorise(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_assign(user=request.user, concern=concern):
        return _forbidden()

    def action(data: dict[str, Any]) -> str:
        concern_categorise(
            concern=concern,
            category=data["category"],
            by=request.user,
            expected_version=data["version"],
        )
        return _("The category is now %(category)s.") % {"category": data["category"].name}

    return _apply(request, concern, "category_form", CategoryForm(request.POST), action)


@login_required
@require_POST
def note(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_edit(user=request.user, concern=concern):
        return _forbidden()
    form = NoteForm(request.POST)

    def action(data: dict[str, Any]) -> str:
        concern_add_note(
            concern=concern,
            text=data["text"],
            public=form.is_public,
            by=request.user,
            expected_version=data["version"],
        )
        return _("The public reply was saved.") if form.is_public else _("The note was saved.")

    return _apply(request, concern, "note_form", form, action)


def _upload_too_large(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    return _render(request, concern, status=413, upload_error=upload_too_large_message())


@csrf_exempt  # checked by csrf_protect below, once the size of the upload is known to be fine
@login_required
@require_POST
@limit_upload_size(_upload_too_large)
@csrf_protect
def attach(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_edit(user=request.user, concern=concern):
        return _forbidden()
    form = AttachmentForm(request.POST, request.FILES)
    if form.has_error("file", code="too_large"):
        return _upload_too_large(request, reference)

    def action(data: dict[str, Any]) -> str:
        attachment_add(
            concern=concern, upload=data["file"], by=request.user, expected_version=data["version"]
        )
        return _("The file was attached.")

    return _apply(request, concern, "attachment_form", form, action)


@login_required
@require_GET
def attachment_download(request: AuthedRequest, reference: str, pk: int) -> HttpResponseBase:
    concern = concern_get_visible(user=request.user, reference=reference)
    attachment = get_object_or_404(Attachment, pk=pk, concern=concern)
    is_image = attachment.content_type.startswith("image/")
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file of this attachment is missing.")) from missing
    response = FileResponse(
        content,
        content_type=attachment.content_type,
        as_attachment=not is_image,
        filename=_download_name(attachment),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def merge(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = concern_get_visible(user=request.user, reference=reference)
    if not concern_can_assign(user=request.user, concern=concern):
        return _forbidden()
    form = MergeForm(request.POST, user=request.user, concern=concern)

    def action(data: dict[str, Any]) -> str:
        original = data["original"]
        concern_merge(
            duplicate=concern, original=original, by=request.user, expected_version=data["version"]
        )
        return _("Merged: this concern is a duplicate of %(reference)s.") % {
            "reference": original.reference
        }

    return _apply(request, concern, "merge_form", form, action)


# --- helpers -----------------------------------------------------------------------------------


def _apply(
    request: AuthedRequest, concern: Concern, name: str, form: VersionedForm, action: Action
) -> HttpResponse:
    """Validate, run the one service call, and answer: done, invalid (400) or conflict (409)."""
    named: dict[str, Any] = {name: form}
    if not form.is_valid():
        return _render(request, concern, status=400, **named)
    try:
        notice = action(form.cleaned_data)
    except ConflictError as conflict:
        return _conflict(request, concern, name, form, conflict)
    except ChangeRefused as refused:
        form.add_error(None, str(refused))
        return _render(request, concern, status=400, **named)
    if _is_htmx(request):
        return _render(request, concern, notice=notice)
    messages.success(request, notice)
    return redirect("cases:detail", reference=concern.reference)


def _conflict(
    request: AuthedRequest,
    concern: Concern,
    name: str,
    form: VersionedForm,
    conflict: ConflictError,
) -> HttpResponse:
    """What changed since the submitted version, and the submitted input on the current version."""
    since = int(form.cleaned_data["version"])
    concern.refresh_from_db()
    keep = (
        form.rebound(version=conflict.current_version)
        if not isinstance(form, AttachmentForm)
        else AttachmentForm(initial={"version": conflict.current_version})
    )
    named: dict[str, Any] = {name: keep}
    changed = timeline(
        concern, include_internal=_sees_internal(request, concern), since_version=since
    )
    return _render(request, concern, status=409, conflict=changed, conflict_form=name, **named)


def _render(
    request: AuthedRequest,
    concern: Concern,
    *,
    status: int = 200,
    part: str = "case",
    **extra: Any,
) -> HttpResponse:
    current = Concern.objects.select_related(
        "category",
        "responsible_unit",
        "assignee",
        "intake_point",
        "district",
        "quarter",
        "duplicate_of",
        "created_by",
    ).get(pk=concern.pk)
    template = f"cases/detail.html#{part}" if _is_htmx(request) else "cases/detail.html"
    return render(request, template, _context(request, current, **extra), status=status)


def _context(request: AuthedRequest, concern: Concern, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_edit = concern_can_edit(user=user, concern=concern)
    can_assign = concern_can_assign(user=user, concern=concern)
    can_merge = can_assign and workflow.can_be_merged(concern.status)
    version = {"version": concern.version}
    context: dict[str, Any] = {
        "routing": routing_latest(concern=concern),
        "concern": concern,
        "can_edit": can_edit,
        "can_assign": can_assign and workflow.can_be_assigned(concern.status),
        "can_merge": can_merge,
        "can_categorise": can_assign and workflow.can_be_categorised(concern.status),
        "proposal": proposal(concern) if _sees_internal(request, concern) else None,
        "reporter": ReporterContact.objects.filter(concern=concern).first() if can_edit else None,
        "show_internal": _sees_internal(request, concern),
        "timeline": timeline(concern, include_internal=_sees_internal(request, concern)),
        "attachments": concern.attachments.select_related("uploaded_by"),
        "duplicates": concerns_visible_to(user).filter(duplicate_of=concern).order_by("pk"),
        "zones": concern.zones.all(),
        "deadline": deadline(concern),
        "steps": workflow.steps_from(concern.status, may_dispatch=can_assign) if can_edit else [],
        "transition_form": TransitionForm(initial=version),
        "assign_form": AssignForm(
            initial={"unit": concern.responsible_unit, "assignee": concern.assignee, **version}
        ),
        "note_form": NoteForm(initial=version),
        "category_form": CategoryForm(initial={"category": concern.category, **version}),
        "template_form": ReplyTemplateChoiceForm(),
        "attachment_form": AttachmentForm(initial=version),
        "merge_form": MergeForm(initial=version, user=user, concern=concern),
        "merge_candidates": _merge_candidates(user, concern) if can_merge else [],
    }
    context.update(extra)
    return context


def _merge_candidates(user: User, concern: Concern) -> list[DuplicateCandidate]:
    """Open concerns this one may duplicate (or that may duplicate it), best first."""
    return duplicate_candidates_of(concern, among=concerns_visible_to(user), limit=MERGE_CANDIDATES)


def _sees_internal(request: AuthedRequest, concern: Concern) -> bool:
    """Staff who work the concern or see all concerns read internal notes; partners do not."""
    return concern_can_edit(user=request.user, concern=concern) or user_has_perm(
        request.user, Perm.CONCERN_VIEW_ALL
    )


def _download_name(attachment: Attachment) -> str:
    stem = attachment.original_name.rsplit(".", 1)[0] or "anhang"
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return f"{stem}.{extension}"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden(
        _("You may not change this concern.").encode(), content_type="text/plain; charset=utf-8"
    )
