"""GeoReport v2, mounted at georeport/v2/; the format is the suffix .json or .xml."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from kontaktpunkt.open311 import views

app_name = "open311"
FMT = r"(?P<fmt>json|xml)"

urlpatterns: list[URLPattern] = [
    path("openapi.json", views.openapi, name="openapi"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.services, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+)\.{FMT}$", views.service_definition, name="service"
    ),
    re_path(rf"^requests\.{FMT}$", views.requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+)\.{FMT}$", views.request_detail, name="request"
    ),
    # Everything else under georeport/v2/ answers with an Open311 error document, not an HTML page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
