"""GeoReport v2: discovery, services, service definitions, requests (list, create) and one request.

Plain function views; the format is the URL suffix (`fmt` is "json" or "xml").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kontaktpunkt.cases.attachments import (
    CleanUpload,
    UploadRefused,
    limit_upload_size,
    upload_clean,
    upload_too_large_message,
)
from kontaktpunkt.core.ratelimit import rate_limit_hit
from kontaktpunkt.geo.gazetteer import gazetteer_search
from kontaktpunkt.open311 import selectors, serializers
from kontaktpunkt.open311.api import (
    api_key_required,
    error_response,
    form_errors,
    key_rate,
    key_refused_message,
    open311_view,
    rate_limited_response,
    respond,
)
from kontaktpunkt.open311.forms import (
    RequestsQueryForm,
    attributes_clean,
    request_create_clean,
)
from kontaktpunkt.open311.models import ApiKey
from kontaktpunkt.open311.openapi import openapi_document
from kontaktpunkt.open311.services import service_request_create, submission_accept

FIRST_CHANGESET = datetime.fromisoformat("2026-01-01T00:00:00+01:00")
MAX_MEDIA = 3


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = selectors.services_changeset(default=FIRST_CHANGESET)
    data = serializers.discovery_data(
        changeset=changeset,
        contact=settings.KP_OPEN311_CONTACT,
        key_service=str(
            settings.KP_OPEN311_KEY_SERVICE
            or _("API keys are issued on request by the administrators of Kontaktpunkt.")
        ),
        url=request.build_absolute_uri(
            reverse("open311:discovery", args=[fmt]).rsplit("/", 1)[0] + "/"
        ),
        kind="production" if settings.KP_ENV == "production" else "test",
    )
    return respond(fmt, "discovery", data)


@open311_view("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = selectors.public_services()
    return respond(fmt, "services", [serializers.service_data(row) for row in rows])


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = selectors.public_category(code=service_code)
    if category is None:
        return error_response(fmt, 404, _("Unknown service_code."))
    row = selectors.service_row(category)
    return respond(fmt, "service_definition", serializers.definition_data(row))


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET lists service requests, POST creates one."""
    if request.method == "POST":
        return requests_create(request, fmt)
    return requests_list(request, fmt)


@open311_view("GET", "HEAD")
def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    form = RequestsQueryForm(request.GET)
    if not form.is_valid():
        return error_response(fmt, 400, *form_errors(form))
    rows = selectors.public_requests(
        filters=form.filters(), with_history=form.cleaned_data["extensions"]
    )
    extensions = form.cleaned_data["extensions"]
    data = [serializers.request_data(row, extensions=extensions) for row in rows]
    return respond(fmt, "service_requests", data)


def _upload_too_large(request: HttpRequest, fmt: str) -> HttpResponse:
    return error_response(fmt, 400, upload_too_large_message())


@limit_upload_size(_upload_too_large)
@open311_view("POST")
@api_key_required
def requests_create(request: HttpRequest, fmt: str, api_key: ApiKey) -> HttpResponse:
    """Check the request, then store it: through the inbox at once, or with its media through intake.

    Either way the answer carries the service_request_id (the reference): the inbox reserves it.
    """
    data, errors = request_create_clean(request.POST)
    if errors:
        return error_response(fmt, 400, *errors)
    service = selectors.public_service(code=data["service_code"])
    if service is None:
        return error_response(fmt, 404, _("Unknown service_code."))
    answers, errors = attributes_clean(request.POST, service.row.attributes)
    location = _location(data)
    uploads, upload_errors = _uploads(request) if request.FILES else ([], [])
    errors += upload_errors + ([] if location else [_("The address could not be found.")])
    if errors or location is None:
        return error_response(fmt, 400, *errors)
    payload = _payload(data, service.category_id, location, answers, api_key)
    rate = key_rate(api_key)
    reference: str | None
    if uploads:
        limit = rate_limit_hit(bucket=rate.bucket, limit=rate.limit, window_s=rate.window_s)
        if not limit.allowed:
            return rate_limited_response(fmt, limit)
        concern = service_request_create(key=api_key, payload=payload, uploads=uploads)
        reference = concern.reference if concern else None
    else:
        outcome = submission_accept(
            key=api_key,
            payload=payload,
            rate=rate,
            idempotency_key=request.headers.get("Idempotency-Key", "").strip()[:200],
        )
        if not outcome.rate.allowed:
            return rate_limited_response(fmt, outcome.rate)
        reference = outcome.reference
    if reference is None:
        return error_response(fmt, 403, key_refused_message())
    notice = _("Your concern has been recorded as %(reference)s.") % {"reference": reference}
    return respond(
        fmt, "service_requests", serializers.created_data(reference=reference, notice=notice)
    )


@open311_view("GET", "HEAD")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    row = selectors.public_request(reference=service_request_id)
    if row is None:
        return error_response(fmt, 404, _("Unknown service_request_id."))
    extensions = request.GET.get("extensions", "").lower() == "true"
    return respond(fmt, "service_requests", [serializers.request_data(row, extensions=extensions)])


def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under georeport/v2/: an Open311 404 (XML unless the path ends in .json)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return error_response(fmt, 404, _("There is no such resource."))


def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


def _location(data: dict[str, Any]) -> tuple[float, float, str] | None:
    """(lat, long, address): the given point, or the address string resolved by the gazetteer."""
    address = data.get("address_string") or ""
    if data.get("lat") is not None:
        return data["lat"], data["long"], address
    hits = gazetteer_search(query=address, limit=1)
    return (hits[0].lat, hits[0].lon, hits[0].label) if hits else None


def _uploads(request: HttpRequest) -> tuple[list[CleanUpload], list[str]]:
    files = request.FILES.getlist("media") + request.FILES.getlist("media[]")
    if len(files) > MAX_MEDIA:
        return [], [_("At most %(count)d files can be sent.") % {"count": MAX_MEDIA}]
    uploads: list[CleanUpload] = []
    errors: list[str] = []
    for file in files:
        try:
            uploads.append(
                upload_clean(
                    data=file.read(), name=file.name or "", declared_type=file.content_type or ""
                )
            )
        except UploadRefused as exc:
            errors.append(f"media: {exc}")
    return uploads, errors


def _payload(
    data: dict[str, Any],
    category_id: int,
    location: tuple[float, float, str],
    answers: dict[str, Any],
    api_key: ApiKey,
) -> dict[str, Any]:
    """The checked request as intake takes it (JSON: it may wait in the inbox)."""
    lat, lon, address = location
    return {
        "category_id": category_id,
        "description": data["description"],
        "lat": lat,
        "long": lon,
        "address": address,
        "reporter": {
            "name": f"{data['first_name']} {data['last_name']}".strip(),
            "email": data["email"],
            "phone": data["phone"],
        },
        "open311": {
            "attributes": answers,
            "media_url": data["media_url"] or None,  # stored as given, never fetched
            "device_id": data["device_id"] or None,
            "account_id": data["account_id"] or None,
            "client": api_key.client_name,
        },
    }
