"""The public reporting form: a report made once, and every protection against abuse."""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.models import Job
from kontaktpunkt.intake.models import Category, Channel, Concern, Priority, ReporterContact
from kontaktpunkt.public.forms import ticket_issue
from kontaktpunkt.public.models import PublicSubmission
from kontaktpunkt.public.tests.conftest import (
    GPS_IFD,
    jpeg_with_gps,
    photo,
    post_report,
    report_data,
)

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_form_offers_only_public_active_categories_grouped_by_field(
    client: Client, category: Category, internal_category: Category
):
    response = client.get(reverse("public:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anliegen melden" in html or "Meldung" in html
    assert f'<option value="{category.pk}"' in html
    assert f'<option value="{internal_category.pk}"' not in html
    assert "<optgroup" in html
    assert 'name="ticket"' in html and 'name="website"' in html


def test_a_valid_report_becomes_one_web_concern_and_leads_to_the_thank_you_page(
    client: Client, category: Category
):
    response = post_report(client, report_data(category))
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks", args=[concern.public_token])
    assert concern.channel == Channel.WEB
    assert concern.category == category
    assert concern.is_public is False
    assert PublicSubmission.objects.get().concern == concern


def test_the_urgency_of_a_report_comes_from_its_text_and_its_category_stays(client: Client):
    syringes = Category.objects.get(code="cleanliness-syringes")
    text = "Im Sandkasten am Spielplatz liegen gebrauchte Spritzen."

    post_report(client, report_data(syringes, description=text))

    concern = Concern.objects.get()
    assert concern.category == syringes
    assert syringes.default_priority < Priority.URGENT
    assert concern.priority == Priority.URGENT
    assert concern.extra["classification"]["candidates"][0]["code"] == syringes.code


def test_a_filled_honeypot_makes_no_concern(client: Client, category: Category):
    response = post_report(client, report_data(category, website="https://spam.example"))
    assert response.status_code == 400
    assert "Website" in response.content.decode()
    assert not Concern.objects.exists()


def test_a_form_sent_faster_than_a_person_can_fill_it_in_is_shown_again_with_a_hint(
    client: Client, category: Category
):
    response = post_report(client, report_data(category, ticket=ticket_issue()))
    assert response.status_code == 400
    assert "sehr schnell" in response.content.decode()
    assert not Concern.objects.exists()


def test_a_forged_ticket_is_refused(client: Client, category: Category):
    response = post_report(client, report_data(category, ticket="erfunden:123"))
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_contact_data_without_consent_is_refused(client: Client, category: Category):
    response = post_report(client, report_data(category, email="anna@example.org"))
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_a_report_needs_a_point_or_an_address(client: Client, category: Category):
    response = post_report(client, report_data(category, lat="", lon=""))
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_too_many_reports_from_one_address_are_answered_with_429_in_german(
    client: Client, category: Category, settings: Settings
):
    settings.KP_PUBLIC_REPORTS_PER_ADDRESS = 2
    for _ in range(2):
        assert post_report(client, report_data(category)).status_code == 302
    response = post_report(client, report_data(category))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zu viele Meldungen" in response.content.decode()
    assert Concern.objects.count() == 2
    other = post_report(client, report_data(category), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302


def test_too_many_reports_with_one_email_address_are_answered_with_429(
    client: Client, category: Category, settings: Settings
):
    settings.KP_PUBLIC_REPORTS_PER_EMAIL = 1
    contact = {"email": "Anna@Example.org", "consent": "on"}
    first = post_report(client, report_data(category, **contact), REMOTE_ADDR="192.0.2.1")
    assert first.status_code == 302
    second = post_report(
        client,
        report_data(category, email="anna@example.org", consent="on"),
        REMOTE_ADDR="192.0.2.2",
    )
    assert second.status_code == 429
    assert Concern.objects.count() == 1


def test_the_same_form_sent_twice_makes_one_concern_and_the_same_thank_you_page(
    client: Client, category: Category
):
    data = report_data(category)
    first = post_report(client, data)
    second = post_report(client, {**data, "photos": photo()})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Concern.objects.count() == 1
    assert not Attachment.objects.exists()


def test_a_repeated_form_does_not_count_against_the_rate_limit(
    client: Client, category: Category, settings: Settings
):
    settings.KP_PUBLIC_REPORTS_PER_ADDRESS = 1
    data = report_data(category)
    post_report(client, data)
    assert post_report(client, data).status_code == 302


def test_an_upload_over_the_size_limit_is_answered_with_413_in_german(
    client: Client, category: Category, settings: Settings
):
    settings.KP_UPLOAD_MAX_BYTES = 2_000
    big = photo(jpeg_with_gps(size=(400, 400)))
    assert big.size > 2_000
    response = post_report(client, report_data(category, photos=big))
    assert response.status_code == 413
    assert "zu groß" in response.content.decode()
    assert not Concern.objects.exists()
    assert not stored_files()


def _png_with_trailing_html() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return out.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


MALICIOUS: dict[str, tuple[bytes, str, str]] = {
    "png_with_trailing_html": (_png_with_trailing_html(), "bild.png", "image/png"),
    "renamed_executable": (
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200,
        "foto.jpg",
        "image/jpeg",
    ),
    "image_of_20000_by_20000_pixels": (_png_header_only(20_000, 20_000), "riesig.png", "image/png"),
    "truncated_jpeg": (jpeg_with_gps(size=(300, 200))[:600], "kaputt.jpg", "image/jpeg"),
    "svg_with_script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "bild.svg",
        "image/svg+xml",
    ),
}
EXPECTED_ERRORS = {
    "png_with_trailing_html": "versteckte",
    "renamed_executable": "nicht angenommen",
    "image_of_20000_by_20000_pixels": "zu viele Pixel",
    "truncated_jpeg": "nicht gelesen",
    "svg_with_script": "nicht angenommen",
}


@pytest.mark.parametrize("kind", sorted(MALICIOUS))
def test_a_malicious_upload_is_refused_in_german_and_leaves_no_file_and_no_row(
    client: Client, category: Category, kind: str
):
    data, name, content_type = MALICIOUS[kind]
    response = post_report(
        client, report_data(category, photos=photo(data, name=name, content_type=content_type))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert EXPECTED_ERRORS[kind] in html
    assert name in html
    assert not Concern.objects.exists()
    assert not Attachment.objects.exists()
    assert not PublicSubmission.objects.exists()
    assert not stored_files()


def test_a_photo_is_stored_without_gps_or_other_metadata_and_not_public(
    client: Client, category: Category
):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response = post_report(
        client, report_data(category, photos=[photo(original), photo(name="zwei.jpg")])
    )
    assert response.status_code == 302
    attachments = list(Attachment.objects.all())
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.is_public is False
        assert attachment.file.name.rsplit("/", 1)[-1] != "foto.jpg"
        with attachment.file.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
            assert not image.getexif()
            assert "exif" not in image.info


def test_the_acknowledgement_is_enqueued_with_email_and_consent(client: Client, category: Category):
    data = report_data(category, name="Anna Beispiel", email="anna@example.org", consent="on")
    post_report(client, data)
    concern = Concern.objects.get()
    job = Job.objects.get(kind="mail.send")
    payload: dict[str, Any] = job.payload
    assert payload["to"] == ["anna@example.org"]
    assert concern.reference in payload["subject"]
    status = reverse("public:status", args=[concern.public_token])
    assert status in payload["text"] and status in payload["html"]
    assert "vielen Dank für Ihre Meldung" in payload["text"]
    assert ReporterContact.objects.get(concern=concern).consent


def test_no_acknowledgement_is_enqueued_without_email(client: Client, category: Category):
    post_report(client, report_data(category, phone="02151 123456", consent="on"))
    assert Concern.objects.count() == 1
    assert not Job.objects.filter(kind="mail.send").exists()


def test_the_address_search_answers_json_and_is_rate_limited(client: Client, settings: Settings):
    settings.KP_PUBLIC_SUGGESTIONS_PER_MINUTE = 2
    url = reverse("public:places")
    assert client.get(url, {"q": "Königstraße"}).json() == {"places": []}
    client.get(url, {"q": "Königstraße"})
    response = client.get(url, {"q": "Königstraße"})
    assert response.status_code == 429
    assert "Zu viele" in response.json()["error"]
