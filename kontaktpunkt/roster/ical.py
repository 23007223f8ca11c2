"""An iCalendar feed (RFC 5545) of a person's duties, written by hand — pure, no dependency.

Times are local wall-clock times with `TZID=<zone>`; the feed carries the zone's VTIMEZONE with the
European daylight-saving rule (last Sunday of March and of October), derived from `zoneinfo` — a zone
without daylight saving gets a single STANDARD component. Lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character; text values are escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PRODID = "-//Kontaktpunkt//Dienstplan//DE"
MAX_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # local wall-clock time, naive
    end: datetime  # local wall-clock time, naive
    summary: str
    description: str = ""
    location: str = ""


def calendar_text(*, name: str, zone: str, events: Iterable[CalendarEvent], stamp: datetime) -> str:
    """The whole VCALENDAR as text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{zone}",
        *vtimezone(zone, year=stamp.year),
    ]
    utc_stamp = _utc(stamp)
    for event in events:
        lines += _vevent(event, zone, utc_stamp)
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in fold(line))


def _vevent(event: CalendarEvent, zone: str, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={zone}:{_local(event.start)}",
        f"DTEND;TZID={zone}:{_local(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    lines += ["TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def vtimezone(zone: str, *, year: int) -> list[str]:
    tz = ZoneInfo(zone)
    winter = datetime(year, 1, 15, 12, tzinfo=tz)
    summer = datetime(year, 7, 15, 12, tzinfo=tz)
    standard, daylight = _offset(winter), _offset(summer)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    if standard == daylight:
        return [
            *lines,
            *_component("STANDARD", standard, standard, winter.tzname(), "19700101T000000", None),
            "END:VTIMEZONE",
        ]
    return [
        *lines,
        *_component(
            "DAYLIGHT",
            standard,
            daylight,
            summer.tzname(),
            "19700329T020000",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        ),
        *_component(
            "STANDARD",
            daylight,
            standard,
            winter.tzname(),
            "19701025T030000",
            "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        ),
        "END:VTIMEZONE",
    ]


def _component(
    kind: str, offset_from: str, offset_to: str, name: str | None, start: str, rule: str | None
) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"TZOFFSETFROM:{offset_from}",
        f"TZOFFSETTO:{offset_to}",
        f"TZNAME:{name or offset_to}",
        f"DTSTART:{start}",
    ]
    if rule:
        lines.append(f"RRULE:{rule}")
    return [*lines, f"END:{kind}"]


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{rest:02d}"


def _local(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """The line in pieces of at most 75 octets; each continuation starts with a space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return [pieces[0], *(f" {piece}" for piece in pieces[1:])]
