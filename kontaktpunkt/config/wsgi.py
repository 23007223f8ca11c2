"""The WSGI application: the machine-facing API under /georeport/ gets a lean handler, the rest the full one.

People's pages need sessions, CSRF, messages, the language and htmx; an Open311 client sends none of
these, and on its hot path (POST requests) that middleware and the long URL list cost as much Python
as the request's own work. So requests under API_PREFIX go to a handler with settings.KP_API_MIDDLEWARE
and the API's own URL list (config/urls_api.py); everything else to Django's usual handler.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontaktpunkt.config.settings")

API_PREFIX = "/georeport/"
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ApiHandler(WSGIHandler):
    """Django's WSGI handler with the API's middleware list instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; this runs once, at start-up, before
        # any request is served, so swapping the list for the duration of the call is safe.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.KP_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class ByPath:
    """Send each request to the API handler or the full one by the start of its path."""

    def __init__(self, *, full: WSGIApp, api: WSGIApp, api_prefix: str = API_PREFIX) -> None:
        self.full = full
        self.api = api
        self.api_prefix = api_prefix

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        app = self.api if environ.get("PATH_INFO", "").startswith(self.api_prefix) else self.full
        return app(environ, start_response)


def application_build() -> ByPath:
    full = get_wsgi_application()  # sets Django up
    return ByPath(full=full, api=ApiHandler())


application = application_build()
