"""The citizens' pages: reporting form, thank-you and status page, public map; and the moderation queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.cases.attachments import (
    MaxSizeUploadHandler,
    limit_upload_size,
    upload_too_large_message,
)
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.ratelimit import RateLimitResult
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.geo.gazetteer import gazetteer_nearest, gazetteer_search, map_backdrop
from kontaktpunkt.intake.models import Concern
from kontaktpunkt.public import selectors
from kontaktpunkt.public.forms import (
    DuplicateQueryForm,
    MapQueryForm,
    ModerateForm,
    PlaceQueryForm,
    ReportForm,
    report_receive,
    ticket_issue,
)
from kontaktpunkt.public.services import (
    concern_release,
    concern_withhold,
    status_url,
    suggestion_limit_per_address,
)

SUGGESTIONS = 6
MODERATION_PAGE_SIZE = 25
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def _too_large(request: HttpRequest) -> HttpResponse:
    context = {"message": upload_too_large_message()}
    return render(request, "public/too_large.html", context, status=413)


@csrf_exempt
@limit_upload_size(_too_large)
@csrf_protect
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if _upload_exceeded(request):
        return _too_large(request)
    if not form.is_bound:
        form = ReportForm(initial={"ticket": ticket_issue()})
        return _report_page(request, form)
    outcome = report_receive(form=form, client=client_address(request))
    if outcome.limited is not None:
        return _limited(request, outcome.limited)
    if outcome.concern is None:
        return _report_page(request, form, status=400)
    return redirect("public:thanks", outcome.concern.public_token)


def _upload_exceeded(request: HttpRequest) -> bool:
    """Whether a file grew past the size limit while it was received (and was dropped)."""
    return any(isinstance(h, MaxSizeUploadHandler) and h.exceeded for h in request.upload_handlers)


def _report_page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "backdrop": map_backdrop(),
        "tile_url": settings.KP_MAP_TILE_URL,
        "tile_attribution": settings.KP_MAP_TILE_ATTRIBUTION,
    }
    return render(request, "public/report.html", context, status=status)


def _limited(request: HttpRequest, result: RateLimitResult) -> HttpResponse:
    minutes = max(1, (result.retry_after_s + 59) // 60)
    response = render(request, "public/limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(result.retry_after_s)
    return response


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    concern = selectors.concern_by_token(token=token)
    if concern is None:
        return _not_found(request)
    context = {"concern": concern, "status_url": status_url(concern)}
    return _private(render(request, "public/thanks.html", context))


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    concern = selectors.concern_by_token(token=token)
    if concern is None:
        return _not_found(request)
    context = {
        "concern": concern,
        "place": selectors.status_place(concern),
        "replies": selectors.status_replies(concern=concern),
        "photos": [selectors.photo_url(p) for p in selectors.public_photos(concern=concern)],
    }
    return _private(render(request, "public/status.html", context))


def _private(response: HttpResponse) -> HttpResponse:
    """No referrer to other sites (the address holds a secret), and not for search engines."""
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "public/not_found.html", status=404))


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    limited = suggestion_limit_per_address(client=client_address(request))
    if limited is not None:
        return _limited_json(limited)
    form = PlaceQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"places": []}, status=400)
    query, lat, lon = (form.cleaned_data[k] for k in ("q", "lat", "lon"))
    if not str(query or "").strip() and lat is not None and lon is not None:
        near = gazetteer_nearest(lat=lat, lon=lon)
        hits = [near] if near else []
    else:
        hits = gazetteer_search(query=str(query or "").strip(), limit=SUGGESTIONS)
    found = [{"label": h.label, "lat": h.lat, "lon": h.lon, "detail": h.detail} for h in hits]
    return JsonResponse({"places": found})


def _limited_json(result: RateLimitResult) -> JsonResponse:
    message = _("Too many requests. Please wait a moment and try again.")
    response = JsonResponse({"error": message}, status=429)
    response["Retry-After"] = str(result.retry_after_s)
    return response


@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    limited = suggestion_limit_per_address(client=client_address(request))
    if limited is not None:
        return _limited_json(limited)
    hints = DuplicateQueryForm(request.GET).hints()
    return JsonResponse({"duplicates": [hint.as_json() for hint in hints]})


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    context = {
        "backdrop": map_backdrop(),
        "tile_url": settings.KP_MAP_TILE_URL,
        "tile_attribution": settings.KP_MAP_TILE_ATTRIBUTION,
        "latest": selectors.map_concerns()[:20],
    }
    return render(request, "public/map.html", context)


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    form = MapQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    concerns = selectors.map_concerns(bbox=form.cleaned_data["bbox"])
    return JsonResponse(selectors.map_features(concerns))


@require_GET
def photo(request: HttpRequest, name: str) -> HttpResponse:
    attachment = selectors.released_photo(name=name)
    if attachment is None:
        return _not_found(request)
    return _photo_response(attachment, cache="public, max-age=3600")


def _photo_response(attachment: Attachment, *, cache: str) -> HttpResponse:
    with attachment.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = cache
    return response


@perm_required(Perm.CONCERN_MODERATE)
@require_GET
def moderation(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.moderation_queue(), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    items = [(c, [selectors.photo_name(p) for p in getattr(c, "photos", [])]) for c in page]
    return render(request, "public/moderation.html", {"page": page, "items": items})


@perm_required(Perm.CONCERN_MODERATE)
@require_POST
def moderate(request: AuthedRequest, reference: str) -> HttpResponse:
    concern = Concern.objects.filter(reference=reference, category__is_public=True).first()
    form = ModerateForm(request.POST)
    if concern is None:
        return _not_found(request)
    if not form.is_valid():
        return HttpResponse(_("Unknown decision."), status=400)
    if form.cleaned_data["decision"] == "release":
        concern_release(concern=concern, by=request.user)
        text = _("%(reference)s is now shown on the public map.")
    else:
        concern_withhold(concern=concern, by=request.user)
        text = _("%(reference)s is not shown on the public map.")
    messages.success(request, text % {"reference": reference})
    return redirect("public:moderation")


@perm_required(Perm.CONCERN_MODERATE)
@require_GET
def moderation_photo(request: AuthedRequest, name: str) -> HttpResponse:
    attachment = selectors.moderation_photo(name=name)
    if attachment is None:
        return _not_found(request)
    return _photo_response(attachment, cache="private, no-store")
