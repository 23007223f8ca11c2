"""Exports of a roster version: CSV rows, the PDF (WeasyPrint, from the grid's HTML) and the
calendar events of one person.

The PDF is drawn from HTML that holds everything itself (inline CSS, system fonts); WeasyPrint's URL
fetcher is allowed no protocol, so an export never reaches out to the network or the disk.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from kontaktpunkt.roster.ical import CalendarEvent
from kontaktpunkt.roster.models import Assignment, Post, ShiftType
from kontaktpunkt.roster.selectors import PlanSnapshot

CSV_COLUMNS = (
    "person_id",
    "name",
    "date",
    "weekday",
    "shift",
    "shift_name",
    "start",
    "end",
    "post",
    "hours",
)
CSV_DELIMITER = ";"
# WeasyPrint reports every stage of every PDF at INFO; the roster's exports need only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def roster_csv(snapshot: PlanSnapshot) -> str:
    """One row per duty, by day and person: semicolons and a byte-order mark, as spreadsheet
    programmes in German settings expect; ISO dates and decimal points, as programs expect."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in sorted(snapshot.roster.assignments, key=lambda a: (a.day, a.person)):
        member = snapshot.staff[a.person]
        shift = snapshot.shift_by_code[a.shift]
        when = snapshot.plan.start + timedelta(days=a.day)
        writer.writerow(
            (
                member.personnel_number,
                member.name,
                when.isoformat(),
                when.isoweekday(),
                shift.code,
                shift.name,
                f"{shift.start:%H:%M}",
                f"{shift.end:%H:%M}",
                snapshot.posts.get((a.person, a.day), ""),
                f"{snapshot.instance.shift(a.shift).minutes / 60:.2f}",
            )
        )
    return out.getvalue()


def pdf_render(html: str) -> bytes:
    """The HTML as PDF; no URL of any scheme is fetched (fonts come from the system)."""
    # heavy: loaded on first use
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetch_nothing = URLFetcher(allowed_protocols=())
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetch_nothing).write_pdf())


def month_days(snapshot: PlanSnapshot, month: date) -> range:
    """The plan's day offsets that fall in the month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = max(0, (first - snapshot.plan.start).days)
    stop = min(snapshot.plan.n_days, (following - snapshot.plan.start).days)
    return range(start, max(start, stop))


def plan_months(snapshot: PlanSnapshot) -> list[date]:
    """The first day of every month the plan touches."""
    months: list[date] = []
    day = snapshot.plan.start.replace(day=1)
    while day <= snapshot.plan.last_day:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def duty_events(duties: Iterable[Assignment], *, host: str) -> list[CalendarEvent]:
    """Calendar events of published duties; a split shift is two events, one for each part."""
    events: list[CalendarEvent] = []
    for duty in duties:
        shift = duty.shift_type
        summary = shift.name
        if duty.post:
            summary = f"{shift.name} \u2013 {Post(duty.post).label}"
        for part, (start, end) in enumerate(_parts(shift, duty.day), start=1):
            events.append(
                CalendarEvent(
                    uid=f"duty-{duty.staff_id}-{duty.day:%Y%m%d}-{part}@{host}",
                    start=start,
                    end=end,
                    summary=summary,
                    description=duty.version.plan.name,
                )
            )
    return events


def _parts(shift: ShiftType, day: date) -> list[tuple[datetime, datetime]]:
    start = datetime.combine(day, shift.start)
    end = datetime.combine(day, shift.end)
    if end <= start:
        end += timedelta(days=1)
    if shift.gap_start is None or shift.gap_end is None:
        return [(start, end)]
    return [
        (start, datetime.combine(day, shift.gap_start)),
        (datetime.combine(day, shift.gap_end), end),
    ]
