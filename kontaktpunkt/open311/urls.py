"""GeoReport v2, mounted at georeport/v2/. Being written."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "open311"
urlpatterns: list[URLPattern] = []
