from __future__ import annotations

from datetime import UTC, datetime

from kontaktpunkt.roster.ical import CalendarEvent, calendar_text, escape_text, fold, vtimezone

STAMP = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def _event(**overrides: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "duty-1-20261123-1@example.org",
        "start": datetime(2026, 11, 23, 6),  # noqa: DTZ001 - local wall-clock times
        "end": datetime(2026, 11, 23, 14),  # noqa: DTZ001
        "summary": "Frühdienst",
    }
    values.update(overrides)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_a_feed_is_a_vcalendar_with_crlf_lines_and_local_times():
    text = calendar_text(name="KOD-01", zone="Europe/Berlin", events=[_event()], stamp=STAMP)

    lines = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "DTSTART;TZID=Europe/Berlin:20261123T060000" in lines
    assert "DTEND;TZID=Europe/Berlin:20261123T140000" in lines
    assert "DTSTAMP:20261121T093000Z" in lines


def test_the_berlin_zone_has_summer_and_winter_time():
    lines = vtimezone("Europe/Berlin", year=2026)

    assert lines[:2] == ["BEGIN:VTIMEZONE", "TZID:Europe/Berlin"]
    assert "TZOFFSETTO:+0200" in lines and "TZOFFSETTO:+0100" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in lines
    assert "TZNAME:CEST" in lines


def test_a_zone_without_daylight_saving_has_one_component():
    lines = vtimezone("UTC", year=2026)

    assert "BEGIN:DAYLIGHT" not in lines
    assert "TZOFFSETTO:+0000" in lines


def test_text_values_are_escaped():
    assert (
        escape_text("Früh; Streife, Mitte\\Nord\nneu") == "Früh\\; Streife\\, Mitte\\\\Nord\\nneu"
    )


def test_long_lines_are_folded_at_75_octets_without_breaking_a_character():
    line = "SUMMARY:" + "ä" * 80

    pieces = fold(line)

    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p.removeprefix(" ") for p in pieces) == line


def test_every_event_has_uid_stamp_start_end_and_summary():
    text = calendar_text(
        name="X",
        zone="Europe/Berlin",
        events=[_event(), _event(uid="b@example.org", description="Dienstplan Januar")],
        stamp=STAMP,
    )

    events = text.split("BEGIN:VEVENT")[1:]
    assert len(events) == 2
    for event in events:
        for key in ("UID:", "DTSTAMP:", "DTSTART;", "DTEND;", "SUMMARY:"):
            assert f"\r\n{key}" in event
    assert "DESCRIPTION:Dienstplan Januar" in events[1]
