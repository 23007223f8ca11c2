"""The OpenAPI document is served, describes every URL of the app, and holds under fuzzing."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kontaktpunkt.config.wsgi import ByPath, application_build
from kontaktpunkt.open311 import urls
from kontaktpunkt.open311.openapi import openapi_document

pytestmark = pytest.mark.django_db

MIN_REQUESTS = 1000
EXAMPLES = {GenerationMode.POSITIVE: 70, GenerationMode.NEGATIVE: 15}


def test_the_document_is_served_as_json(client):
    response = client.get(reverse("open311:openapi"))

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")


def test_every_url_pattern_of_the_app_is_described():
    paths = set(openapi_document()["paths"])
    for pattern in urls.urlpatterns:
        if pattern.name == "not_found":
            continue  # the fallback that answers 404 for anything else
        regex = str(pattern.pattern).removeprefix("^").removesuffix("$")
        formats = ["json", "xml"] if "(?P<fmt>" in regex else [""]
        for fmt in formats:
            template = regex.replace(r"(?P<fmt>json|xml)", fmt).replace("\\.", ".")
            template = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", template)
            assert f"/{template}" in paths, f"{pattern.name}: /{template} is not in the document"


def test_schemathesis_finds_no_server_error_and_no_undocumented_response(world, api_key):
    """At least 1,000 generated requests, positive and negative, against all operations.

    All checks but "schema-valid data is accepted": the 90-day rule, start before end and the
    attribute definitions are rules a schema cannot express, and their 400 is documented.
    """
    schema = schemathesis.openapi.from_dict(openapi_document())
    app = application_build()  # what gunicorn serves: /georeport/ through the lean API handler
    calls = 0
    # Like Django's test client: keep the test's connection open across the requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result
            for mode, examples in EXAMPLES.items():
                calls += _fuzz(result.ok(), mode, examples, app=app, raw_key=api_key[1])
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert calls >= MIN_REQUESTS


def _fuzz(operation, mode, examples: int, *, app: ByPath, raw_key: str) -> int:
    """Run `examples` generated cases of one operation; the number of requests sent."""
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal calls
        if mode is GenerationMode.POSITIVE and isinstance(case.body, dict):
            case.body["api_key"] = raw_key  # exercise the validation behind the key
            if len(str(case.body.get("service_code", ""))) % 2:
                case.body["service_code"] = "bulky-waste"
        response = case.call(app=app)
        calls += 1
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    try:
        run()
    except Unsatisfiable:
        # Nothing to get wrong in an operation without parameters (openapi.json).
        assert mode is GenerationMode.NEGATIVE, operation.label
    return calls
