"""Every response validates against the copied JSON Schemas, XML carries the same content as JSON, and
each method and each error matches its golden file (tests/golden/; KP_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kontaktpunkt.open311.services import api_key_issue, api_key_revoke

from .helpers import assert_golden, assert_same_content, assert_valid, without_new_references

pytestmark = pytest.mark.django_db

WINDOW = "start_date=2026-03-01T00:00:00%2B01:00&end_date=2026-03-31T00:00:00%2B02:00"


def path(name: str, fmt: str, **kwargs: str) -> str:
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


# (golden name, URL name, URL kwargs, query, expected status, schema, XML root)
GETS = [
    ("discovery", "discovery", {}, "", 200, None, "discovery"),
    ("services", "services", {}, "", 200, "services.json", "services"),
    (
        "service_definition",
        "service",
        {"service_code": "bulky-waste"},
        "",
        200,
        "service-definition.json",
        "service_definition",
    ),
    ("requests", "requests", {}, WINDOW, 200, "requests.json", "service_requests"),
    (
        "requests_extensions",
        "requests",
        {},
        WINDOW + "&extensions=true",
        200,
        "requests.json",
        "service_requests",
    ),
    (
        "request",
        "request",
        {"service_request_id": "KP-2026-000101"},
        "extensions=true",
        200,
        "requests.json",
        "service_requests",
    ),
    ("error_400_bad_date", "requests", {}, "start_date=gestern", 400, "errors", "errors"),
    (
        "error_400_window",
        "requests",
        {},
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        400,
        "errors",
        "errors",
    ),
    ("error_404_service", "service", {"service_code": "internal"}, "", 404, "errors", "errors"),
    (
        "error_404_request",
        "request",
        {"service_request_id": "KP-2026-000103"},
        "",
        404,
        "errors",
        "errors",
    ),
    (
        "error_404_jurisdiction",
        "services",
        {},
        "jurisdiction_id=sfgov.org",
        404,
        "errors",
        "errors",
    ),
]


@pytest.mark.parametrize(
    ("name", "url_name", "kwargs", "query", "status", "schema", "root"),
    GETS,
    ids=[g[0] for g in GETS],
)
def test_a_get_response_validates_matches_its_golden_files_and_says_the_same_in_xml(
    client, world, name, url_name, kwargs, query, status, schema, root
):
    json_response = client.get(f"{path(url_name, 'json', **kwargs)}?{query}")
    xml_response = client.get(f"{path(url_name, 'xml', **kwargs)}?{query}")

    assert (json_response.status_code, xml_response.status_code) == (status, status)
    if schema:
        assert_valid(schema, json_response.json())
    assert_same_content(json_response.content, xml_response.content, root)
    assert_golden(f"{name}.json", json_response.content)
    assert_golden(f"{name}.xml", xml_response.content)


def _post_cases(raw: str, revoked: str, limited: str) -> list[tuple[str, dict[str, str], int]]:
    body = {"api_key": raw, "service_code": "bulky-waste", "lat": "51.3", "long": "6.5"}
    return [
        ("post_created", {**body, "attribute[pieces]": "2"}, 200),
        ("error_400_attribute", body, 400),
        ("error_400_location", {**body, "lat": "95", "attribute[pieces]": "2"}, 400),
        ("error_403_missing_key", {**body, "api_key": ""}, 403),
        ("error_403_revoked_key", {**body, "api_key": revoked}, 403),
        ("error_404_post_service", {**body, "service_code": "internal"}, 404),
        ("error_429_rate_limit", {**body, "api_key": limited, "attribute[pieces]": "2"}, 429),
    ]


def test_post_responses_validate_match_their_golden_files_and_say_the_same_in_xml(
    client, world, api_key
):
    revoked_key, revoked = api_key_issue(client_name="Alt", by=None)
    api_key_revoke(key=revoked_key)
    _limited_key, limited = api_key_issue(client_name="Knapp", rate_limit_per_minute=0, by=None)

    for name, body, status in _post_cases(api_key[1], revoked, limited):
        json_response = client.post(path("requests", "json"), body)
        xml_response = client.post(path("requests", "xml"), body)

        assert (json_response.status_code, xml_response.status_code) == (status, status), name
        data = json_response.json()
        if status == 200:
            assert data[0]["service_request_id"].startswith("KP-")
        else:
            assert_valid("errors", data)
        json_content = without_new_references(json_response.content)
        xml_content = without_new_references(xml_response.content)
        assert_same_content(
            json_content, xml_content, "service_requests" if status == 200 else "errors"
        )
        assert_golden(f"{name}.json", json_content)
        assert_golden(f"{name}.xml", xml_content)
