"""Middleware of the project."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class HtmxVaryMiddleware:
    """Every view may answer an htmx request with a fragment and others with the full page: caches
    (browsers, proxies) must keep the two apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class ApiUrlconfMiddleware:
    """Resolve with the API's own URL list (the API handler of config/wsgi.py)."""

    urlconf = "kontaktpunkt.config.urls_api"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.urlconf = self.urlconf  # type: ignore[attr-defined]  # read by Django's handler
        return self.get_response(request)
