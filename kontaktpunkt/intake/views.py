"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


desk = suggest_categories = suggest_places = duplicates = _todo
