"""The WSGI application: the API under /georeport/ through the lean handler, the rest through the full one."""

from __future__ import annotations

import io
import json
import sys
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from kontaktpunkt.config.wsgi import ApiHandler, application_build
from kontaktpunkt.open311.services import api_key_issue
from kontaktpunkt.testing.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    # Like Django's test client: keep the test's connection (and its transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application_build()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(
    app, method: str, path: str, form: dict[str, str] | None = None
) -> tuple[str, dict, bytes]:
    body = urlencode(form or {}).encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None):
        seen["status"], seen["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()  # as every WSGI server does: Django's request_finished resets the urlconf
    return seen["status"], seen["headers"], content


def test_the_api_is_served_without_the_middleware_of_peoples_pages(app):
    assert isinstance(app.api, ApiHandler)
    status, headers, content = call(app, "GET", "/georeport/v2/discovery.json")

    assert status.startswith("200")
    assert "endpoints" in content.decode()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in headers
    assert "HX-Request" not in headers.get("Vary", "")
    assert "X-Frame-Options" not in headers


def test_peoples_pages_keep_the_full_middleware(app):
    status, headers, _content = call(app, "GET", "/anmelden/")

    assert status.startswith("200")
    assert "HX-Request" in headers.get("Vary", "")
    assert headers["X-Frame-Options"] == "DENY"


def test_a_post_through_the_api_handler_is_accepted_and_names_its_reference(app):
    CategoryFactory.create(open311_service_code="wsgi-litter", is_public=True, active=True)
    _key, raw = api_key_issue(client_name="WSGI", by=None)
    form = {
        "api_key": raw,
        "service_code": "wsgi-litter",
        "lat": "51.33283",
        "long": "6.56262",
        "description": "Müll am Theaterplatz",
    }

    status, headers, content = call(app, "POST", "/georeport/v2/requests.json", form)

    assert status.startswith("200"), content
    (created,) = json.loads(content)
    assert created["service_request_id"].startswith("KP-")
    assert "Set-Cookie" not in headers


def test_an_unknown_api_path_answers_with_an_open311_error(app):
    status, _headers, content = call(app, "GET", "/georeport/v2/nothing.json")

    assert status.startswith("404")
    assert json.loads(content)[0]["code"] == 404
