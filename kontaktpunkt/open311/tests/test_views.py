"""Behaviour of the GeoReport v2 endpoints."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.models import RateLimitWindow
from kontaktpunkt.intake.models import Channel, Concern, ConcernEvent, EventKind
from kontaktpunkt.intake.services import concern_reference_block
from kontaktpunkt.open311.models import ApiKey, Submission
from kontaktpunkt.open311.services import api_key_issue, api_key_revoke, submissions_intake

from .conftest import REPORTER_EMAIL, REPORTER_NAME, REPORTER_PHONE

pytestmark = pytest.mark.django_db

WINDOW = {"start_date": "2026-03-01T00:00:00+01:00", "end_date": "2026-03-31T00:00:00+02:00"}


def url(name: str, fmt: str = "json", **kwargs: str) -> str:
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def post(client, data: dict, fmt: str = "json", **extra):
    return client.post(url("requests", fmt), data, **extra)


def valid_body(raw: str, **changes: object) -> dict:
    body: dict[str, object] = {
        "api_key": raw,
        "service_code": "bulky-waste",
        "lat": "51.33283",
        "long": "6.56262",
        "description": "Ein Schrank am Theaterplatz.",
        "attribute[pieces]": "3",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "email": REPORTER_EMAIL,
        "phone": REPORTER_PHONE,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def codes(response) -> list[int]:
    return [error["code"] for error in response.json()]


def test_a_post_with_a_valid_key_creates_one_open311_concern_and_its_timeline_event(
    client, world, api_key
):
    key, raw = api_key

    response = post(client, valid_body(raw, **{"attribute[hazards][]": ["glass", "oil"]}))

    assert response.status_code == 200
    (created,) = response.json()
    assert submissions_intake() == 1  # what the worker does
    concern = Concern.objects.get(reference=created["service_request_id"])
    assert concern.channel == Channel.OPEN311
    assert concern.category == world.bulky
    assert created["service_notice"] == f"Ihr Anliegen wurde unter {concern.reference} aufgenommen."
    assert Concern.objects.filter(channel=Channel.OPEN311).count() == 2  # the fixture's one + this
    assert list(ConcernEvent.objects.filter(concern=concern).values_list("kind", flat=True)) == [
        EventKind.CREATED
    ]
    assert concern.reporter.email == REPORTER_EMAIL
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_an_accepted_request_waits_in_the_inbox_and_can_be_read_before_the_worker_took_it_in(
    client, world, api_key
):
    response = post(client, valid_body(api_key[1]))
    reference = response.json()[0]["service_request_id"]

    assert not Concern.objects.filter(reference=reference).exists()
    waiting = Submission.objects.get(reference=reference)
    assert waiting.processed_at is None
    (row,) = client.get(f"/georeport/v2/requests/{reference}.json").json()
    assert (row["status"], row["service_code"]) == ("open", "bulky-waste")
    assert "description" not in row or row["description"] is None
    listed = client.get(url("requests"), {"service_request_id": reference}).json()
    assert [item["service_request_id"] for item in listed] == [reference]
    assert REPORTER_EMAIL not in json.dumps(row)


def test_the_worker_takes_a_submission_in_once_and_forgets_the_contact_it_handed_on(
    client, world, api_key
):
    reference = post(client, valid_body(api_key[1])).json()[0]["service_request_id"]

    assert submissions_intake() == 1
    assert submissions_intake() == 0

    assert Concern.objects.filter(reference=reference).count() == 1
    submission = Submission.objects.get(reference=reference)
    assert submission.concern is not None
    assert submission.concern.reference == reference
    assert "reporter" not in submission.payload
    assert submission.concern.reporter.phone == REPORTER_PHONE


def test_a_submission_that_fails_keeps_its_error_and_the_others_are_taken_in(
    client, world, api_key
):
    first = post(client, valid_body(api_key[1])).json()[0]["service_request_id"]
    second = post(client, valid_body(api_key[1])).json()[0]["service_request_id"]
    broken = Submission.objects.get(reference=first)
    broken.payload = {**broken.payload, "category_id": "not a number"}
    broken.save()

    assert submissions_intake() == 1

    broken.refresh_from_db()
    assert broken.processed_at is None
    assert broken.attempts == 1
    assert "ValueError" in broken.last_error
    assert Concern.objects.filter(reference=second).exists()
    assert not Concern.objects.filter(reference=first).exists()


def test_references_of_the_inbox_and_of_the_desk_come_from_one_gapless_counter(
    client, world, api_key
):
    year = timezone.localtime().year
    (before,) = concern_reference_block(year=year, count=1)
    reference = post(client, valid_body(api_key[1])).json()[0]["service_request_id"]
    (after,) = concern_reference_block(year=year, count=1)

    numbers = [int(value.rsplit("-", 1)[1]) for value in (before, reference, after)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert reference == f"KP-{year}-{numbers[1]:06d}"


def test_a_key_revoked_by_another_process_is_refused_at_once(client, world, api_key):
    key, raw = api_key
    assert (
        post(client, valid_body(raw)).status_code == 200
    )  # the key is now in this process's memory

    ApiKey.objects.filter(pk=key.pk).update(active=False)  # as the admin of another process does
    response = post(client, valid_body(raw))

    assert response.status_code == 403
    assert Submission.objects.count() == 1


def test_the_attribute_answers_and_media_url_are_kept_with_the_concern(client, world, api_key):
    body = valid_body(
        api_key[1],
        media_url="https://example.org/sofa.jpg",
        **{"attribute[kind]": "furniture", "attribute[hazards][]": ["oil", "glass"]},
    )

    response = post(client, body)

    assert response.status_code == 200
    submissions_intake()
    concern = Concern.objects.get(reference=response.json()[0]["service_request_id"])
    extra = concern.extra["open311"]
    assert extra["attributes"] == {"pieces": 3.0, "kind": "furniture", "hazards": ["oil", "glass"]}
    assert extra["media_url"] == "https://example.org/sofa.jpg"


def test_the_media_url_is_shown_once_a_person_released_the_concern(client, world, api_key):
    response = post(client, valid_body(api_key[1], media_url="https://example.org/sofa.jpg"))
    reference = response.json()[0]["service_request_id"]
    url = f"/georeport/v2/requests/{reference}.json"
    submissions_intake()

    assert client.get(url).json()[0]["media_url"] is None
    Concern.objects.filter(reference=reference).update(is_public=True)
    assert client.get(url).json()[0]["media_url"] == "https://example.org/sofa.jpg"


@pytest.mark.parametrize(
    "api_key_value", [None, "", "wrong-key"], ids=["missing", "empty", "wrong"]
)
def test_a_post_without_a_valid_key_is_refused_with_403(client, world, api_key_value):
    response = post(client, valid_body(api_key_value))

    assert response.status_code == 403
    assert codes(response) == [403]
    assert not Concern.objects.filter(channel=Channel.OPEN311).exclude(pk=world.closed.pk).exists()


def test_a_revoked_key_is_refused_with_403(client, world, api_key):
    key, raw = api_key
    api_key_revoke(key=key)

    response = post(client, valid_body(raw))

    assert response.status_code == 403
    assert Concern.objects.count() == 3


def test_a_key_over_its_rate_limit_gets_429_with_an_errors_body(client, world):
    _key, raw = api_key_issue(client_name="Langsam", rate_limit_per_minute=2, by=None)

    statuses = [post(client, valid_body(raw)).status_code for _ in range(3)]
    response = post(client, valid_body(raw), fmt="xml")

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert b"<errors><error><code>429</code>" in response.content
    assert int(response["Retry-After"]) >= 1
    assert RateLimitWindow.objects.filter(bucket__startswith="open311-key:").exists()


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"attribute[pieces]": None}, "pieces"),
        ({"attribute[pieces]": "viele"}, "pieces"),
        ({"attribute[kind]": "car"}, "kind"),
        ({"attribute[hazards][]": ["glass", "fire"]}, "hazards"),
        ({"attribute[seen_at]": "gestern"}, "seen_at"),
        ({"attribute[where]": "x" * 301}, "where"),
        ({"attribute[colour]": "blau"}, "colour"),
    ],
    ids=["required", "number", "single", "multi", "datetime", "string-length", "unknown"],
)
def test_attributes_are_validated_against_the_definition(client, world, api_key, changes, fragment):
    response = post(client, valid_body(api_key[1], **changes))

    assert response.status_code == 400
    assert fragment in response.json()[0]["description"]
    assert Concern.objects.count() == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": "91", "long": "6.5"},
        {"lat": "51.3", "long": "-181"},
        {"lat": "51.3", "long": None},
        {"lat": "nan", "long": "6.5"},
        {"lat": None, "long": None},
        {"media_url": "javascript:alert(1)"},
        {"media_url": "ftp://example.org/a.jpg"},
        {"email": "keine-adresse"},
        {"description": "x" * 4001},
    ],
)
def test_bad_locations_and_fields_are_refused_with_400(client, world, api_key, changes):
    response = post(client, valid_body(api_key[1], **changes))

    assert response.status_code == 400
    assert codes(response) == [400] * len(response.json())
    assert Concern.objects.count() == 3


def test_an_address_string_is_resolved_by_the_gazetteer(client, world, api_key, theaterplatz):
    response = post(
        client, valid_body(api_key[1], lat=None, long=None, address_string="Theaterplatz")
    )

    assert response.status_code == 200
    submissions_intake()
    concern = Concern.objects.get(reference=response.json()[0]["service_request_id"])
    assert (concern.lat, concern.lon) == (theaterplatz.lat, theaterplatz.lon)
    assert concern.address == "Theaterplatz"


def test_an_address_that_cannot_be_found_is_refused_with_400(client, world, api_key):
    response = post(
        client, valid_body(api_key[1], lat=None, long=None, address_string="Nirgendwo 99")
    )

    assert response.status_code == 400
    assert Concern.objects.count() == 3


def test_an_unknown_or_hidden_service_code_is_404(client, world, api_key):
    for code in ("nothing-like-it", "internal"):
        response = post(client, valid_body(api_key[1], service_code=code))
        assert response.status_code == 404


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_a_multipart_media_upload_is_stored_as_a_checked_attachment(client, world, api_key):
    photo = io.BytesIO(_png())
    photo.name = "sofa.png"

    response = post(client, {**valid_body(api_key[1]), "media": photo})

    assert response.status_code == 200
    concern = Concern.objects.get(reference=response.json()[0]["service_request_id"])
    (attachment,) = Attachment.objects.filter(concern=concern)
    assert attachment.content_type == "image/png"
    assert attachment.uploaded_by is None


def test_a_media_upload_that_is_not_an_image_creates_nothing(client, world, api_key):
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "sofa.png"

    response = post(client, {**valid_body(api_key[1]), "media": fake})

    assert response.status_code == 400
    assert "media" in response.json()[0]["description"]
    assert Concern.objects.count() == 3
    assert not Attachment.objects.exists()


def test_get_lists_only_concerns_of_public_categories_newest_first(client, world):
    response = client.get(url("requests"), WINDOW)

    ids = [item["service_request_id"] for item in response.json()]
    assert ids == ["KP-2026-000102", "KP-2026-000101"]


def test_internal_statuses_map_onto_open_and_closed_with_the_latest_public_reply(client, world):
    items = {
        item["service_request_id"]: item for item in client.get(url("requests"), WINDOW).json()
    }

    assert items["KP-2026-000101"]["status"] == "open"
    assert items["KP-2026-000101"]["status_notes"] == "Die Abholung ist für Freitag beauftragt."
    assert items["KP-2026-000102"]["status"] == "closed"
    assert items["KP-2026-000102"]["status_notes"] is None


def test_the_description_is_public_only_once_a_person_released_the_concern(client, world):
    items = {
        item["service_request_id"]: item for item in client.get(url("requests"), WINDOW).json()
    }

    assert items["KP-2026-000101"]["description"] == world.released.description
    assert items["KP-2026-000102"]["description"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, ["KP-2026-000101"]),
        ({"status": "closed"}, ["KP-2026-000102"]),
        ({"status": "open,closed"}, ["KP-2026-000102", "KP-2026-000101"]),
        ({"service_code": "bulky-waste,other"}, ["KP-2026-000102", "KP-2026-000101"]),
        ({"service_code": "other"}, []),
        ({"end_date": "2026-03-02T12:00:00+01:00"}, ["KP-2026-000101"]),
        ({"start_date": "2026-03-02T12:00:00+01:00"}, ["KP-2026-000102"]),
        ({"updated_after": "2026-03-04T12:00:00+01:00"}, ["KP-2026-000102"]),
        ({"updated_before": "2026-03-04T12:00:00+01:00"}, ["KP-2026-000101"]),
        ({"page_size": "1"}, ["KP-2026-000102"]),
        ({"page_size": "1", "page": "2"}, ["KP-2026-000101"]),
        ({"page_size": "1", "page": "3"}, []),
    ],
)
def test_the_standard_filters_and_the_extensions_narrow_the_list(client, world, params, expected):
    response = client.get(url("requests"), {**WINDOW, **params})

    assert [item["service_request_id"] for item in response.json()] == expected


def test_a_list_of_ids_overrides_every_other_filter(client, world):
    response = client.get(
        url("requests"),
        {"service_request_id": "KP-2026-000101, KP-2026-000103", "status": "closed"},
    )

    assert [item["service_request_id"] for item in response.json()] == ["KP-2026-000101"]


def test_without_dates_the_last_90_days_are_listed(client, world):
    fresh = post_fresh = None  # noqa: F841
    world.released.reported_at = world.released.reported_at.replace(year=2020)
    world.released.save()

    response = client.get(url("requests"))

    assert "KP-2026-000101" not in [item["service_request_id"] for item in response.json()]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "gestern"},
        {"end_date": "2026-13-01T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"},
        {"start_date": "2026-03-02T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"},
        {"status": "pending"},
        {"page_size": "100000"},
        {"page": "0"},
        {"extensions": "ja"},
        {"updated_after": "2288-11-02T22:58:37.7+20:31"},  # found by schemathesis on PostgreSQL
        {"updated_after": "\x0c"},  # only whitespace: a value given, and not a date (schemathesis)
        {"start_date": "   "},
    ],
)
def test_bad_filters_are_refused_with_400(client, world, params):
    response = client.get(url("requests", "xml"), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert b"<errors><error><code>400</code>" in response.content


def test_extensions_add_the_public_history_and_the_channel(client, world):
    response = client.get(
        url("request", service_request_id="KP-2026-000101"), {"extensions": "true"}
    )

    extended = response.json()[0]["extended_attributes"]
    assert extended["channel"] == "web"
    assert [(n["type"], n["summary"], n["description"]) for n in extended["notes"]] == [
        ("submitted", "Anliegen aufgenommen", None),
        ("activity", "Status: in Bearbeitung", None),
        ("activity", "Antwort", "Die Abholung ist für Freitag beauftragt."),
    ]


def test_one_request_of_a_hidden_category_or_an_unknown_id_is_404(client, world):
    for reference in ("KP-2026-000103", "KP-1999-000001"):
        response = client.get(url("request", service_request_id=reference))
        assert response.status_code == 404
        assert codes(response) == [404]


def test_no_personal_data_of_reporters_appears_in_any_get_response(client, world, api_key):
    post(client, valid_body(api_key[1]))
    pages = [
        client.get(url("requests", fmt), {"extensions": "true"}).content
        + client.get(url("requests", fmt), {**WINDOW, "extensions": "true"}).content
        + client.get(
            url("request", fmt, service_request_id="KP-2026-000101"), {"extensions": "true"}
        ).content
        + client.get(url("request", fmt, service_request_id="KP-2026-000102")).content
        for fmt in ("json", "xml")
    ]

    for content in pages:
        text = content.decode()
        for secret in (
            REPORTER_NAME,
            REPORTER_EMAIL,
            REPORTER_PHONE,
            "Erika",
            "Mustermann",
            "Intern:",
        ):
            assert secret not in text
    assert json.loads(client.get(url("requests"), WINDOW).content)  # the check looked at real data


def test_service_definitions_show_only_public_active_categories(client, world):
    assert client.get(url("service", service_code="bulky-waste")).status_code == 200
    assert client.get(url("service", service_code="internal")).status_code == 404
    assert [s["service_code"] for s in client.get(url("services")).json()] == ["bulky-waste"]


def test_a_foreign_jurisdiction_is_404_and_ours_or_none_is_accepted(client, world, settings):
    settings.KP_OPEN311_JURISDICTION = "krefeld.de"

    assert client.get(url("services"), {"jurisdiction_id": "sfgov.org"}).status_code == 404
    assert client.get(url("services"), {"jurisdiction_id": "krefeld.de"}).status_code == 200
    assert client.get(url("services"), {"jurisdiction_id": ""}).status_code == 200


def test_responses_are_utf8_in_both_formats(client, world):
    json_response = client.get(url("services"))
    xml_response = client.get(url("services", "xml"))

    assert json_response["Content-Type"] == "application/json; charset=utf-8"
    assert "Sperrmüll".encode() in json_response.content
    assert xml_response["Content-Type"] == "text/xml; charset=utf-8"
    assert "Sperrmüll".encode() in xml_response.content


def test_other_paths_and_methods_answer_with_an_open311_error(client, world):
    assert client.get("/georeport/v2/nothing.json").json()[0]["code"] == 404
    response = client.delete(url("requests"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_the_worker_takes_in_the_inbox_on_its_periodic_round(client, world, api_key, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.KP_PERIODIC_JOBS = {"open311.intake": 2}
    reference = post(client, valid_body(api_key[1])).json()[0]["service_request_id"]

    call_command("worker", "--once", stdout=StringIO())

    assert Concern.objects.get(reference=reference).channel == Channel.OPEN311
    assert Submission.objects.get(reference=reference).processed_at is not None


def test_a_repeated_post_with_the_same_idempotency_key_gets_the_same_reference(
    client, world, api_key
):
    first = post(client, valid_body(api_key[1]), HTTP_IDEMPOTENCY_KEY="forward-17")
    again = post(client, valid_body(api_key[1]), HTTP_IDEMPOTENCY_KEY="forward-17")
    other = post(client, valid_body(api_key[1]), HTTP_IDEMPOTENCY_KEY="forward-18")

    reference = first.json()[0]["service_request_id"]
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == reference
    assert other.json()[0]["service_request_id"] != reference
    assert Submission.objects.filter(idempotency_key="forward-17").count() == 1
