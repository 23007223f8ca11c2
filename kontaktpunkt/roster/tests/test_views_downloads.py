from __future__ import annotations

import csv
import io
import re
import zlib
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.roster.exports import CSV_COLUMNS
from kontaktpunkt.roster.models import ShiftType
from kontaktpunkt.roster.services import cell_set
from kontaktpunkt.roster.tests.factories import staff, this_monday, tiny_plan

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)
A4_LANDSCAPE = (841.89, 595.28)  # points


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _unfolded(text: str) -> list[str]:
    """The content lines of an iCalendar text (RFC 5545 3.1: CRLF, continuation lines)."""
    assert "\r\n" in text
    assert not re.search(r"(?<!\r)\n", text), "every line ends in CRLF"
    return text.replace("\r\n ", "").split("\r\n")


def _media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    """The /MediaBox of every page, also from compressed object streams."""
    text = pdf
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            text += zlib.decompressobj().decompress(pdf[match.end() :])
        except zlib.error:
            continue
    return [
        tuple(float(n) for n in box.split())
        for box in re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+?)\s*\]", text)
    ]


def test_the_csv_has_one_row_per_duty_with_the_documented_columns(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).get(reverse("roster:export_csv", args=[plan.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="dienstplan-2025-01-06-v1.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 17  # the tiny roster has 17 duties
    assert rows[1] == [
        "0",
        "KOD-00",
        "2025-01-06",
        "1",
        "E",
        "Frühdienst",
        "06:00",
        "14:00",
        "team_lead",
        "8.00",
    ]


def test_the_pdf_of_a_month_is_a4_landscape(desk_clerk):
    plan = tiny_plan(start=MONDAY)

    response = _client(desk_clerk).get(
        reverse("roster:export_pdf", args=[plan.pk]) + "?monat=2025-01"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    boxes = _media_boxes(response.content)
    assert boxes
    for box in boxes:
        width, height = box[2] - box[0], box[3] - box[1]
        assert (round(width, 2), round(height, 2)) == A4_LANDSCAPE


def test_a_month_outside_the_plan_has_no_pdf(desk_clerk):
    plan = tiny_plan(start=MONDAY)

    response = _client(desk_clerk).get(
        reverse("roster:export_pdf", args=[plan.pk]) + "?monat=2025-03"
    )

    assert response.status_code == 404


def test_the_calendar_feed_holds_the_published_duties_in_berlin_time(kod_officer, kod_lead):
    monday = this_monday()
    plan = tiny_plan(start=monday, users={4: kod_officer})
    # a change in the draft is not in the feed until it is published
    cell_set(
        plan=plan,
        staff=staff(plan, 4),
        day=monday + timedelta(days=5),
        shift_type=ShiftType.objects.get(code="E"),
        post="",
        expected="",
        by=kod_lead,
    )
    token = staff(plan, 4).calendar_token

    response = Client().get(reverse("roster:calendar", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = _unfolded(response.content.decode())
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert "TZID:Europe/Berlin" in lines  # the VTIMEZONE the events refer to
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    starts = [line for line in lines if line.startswith("DTSTART;")]
    assert starts == [
        f"DTSTART;TZID=Europe/Berlin:{monday:%Y%m%d}T060000",
        f"DTSTART;TZID=Europe/Berlin:{monday + timedelta(days=1):%Y%m%d}T060000",
    ]
    assert f"DTEND;TZID=Europe/Berlin:{monday:%Y%m%d}T140000" in lines
    assert all(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines if "DTSTAMP" in line)
    assert "SUMMARY:Frühdienst \u2013 Streife (zu zweit)" in lines
    assert len({line for line in lines if line.startswith("UID:")}) == 2


def test_an_unknown_calendar_secret_finds_nothing():
    response = Client().get(reverse("roster:calendar", args=["y" * 43]))

    assert response.status_code == 404


def test_exports_of_a_plan_never_published_are_not_found_for_viewers(desk_clerk):
    plan = tiny_plan(start=MONDAY, publish=False)

    response = _client(desk_clerk).get(reverse("roster:export_csv", args=[plan.pk]))

    assert response.status_code == 404
