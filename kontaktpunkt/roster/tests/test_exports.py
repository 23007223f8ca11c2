from __future__ import annotations

from datetime import date, time

import pytest

from kontaktpunkt.roster.exports import (
    duty_events,
    month_days,
    pdf_render,
    plan_months,
    roster_csv,
)
from kontaktpunkt.roster.models import Assignment, ShiftType
from kontaktpunkt.roster.selectors import plan_snapshot, version_published
from kontaktpunkt.roster.tests.factories import tiny_plan

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 27)


def test_a_plan_across_two_months_has_a_page_for_each():
    plan = tiny_plan(start=MONDAY)
    snapshot = plan_snapshot(plan=plan, version=version_published(plan))

    assert plan_months(snapshot) == [date(2025, 1, 1), date(2025, 2, 1)]
    assert month_days(snapshot, date(2025, 1, 1)) == range(5)
    assert month_days(snapshot, date(2025, 2, 14)) == range(5, 7)
    assert not month_days(snapshot, date(2025, 3, 1))


def test_the_csv_starts_with_a_byte_order_mark_and_uses_semicolons():
    plan = tiny_plan(start=MONDAY)
    snapshot = plan_snapshot(plan=plan, version=version_published(plan))

    text = roster_csv(snapshot)

    assert text.startswith("\ufeffperson_id;name;date;")
    assert text.count("\r\n") == 1 + 17


def test_a_split_shift_is_two_calendar_events():
    split = ShiftType.objects.create(
        code="G",
        name="Geteilter Dienst",
        letter="G",
        start=time(8),
        end=time(20),
        gap_start=time(12),
        gap_end=time(16),
    )
    plan = tiny_plan(start=MONDAY)
    duty = Assignment.objects.filter(version=version_published(plan)).select_related(
        "version__plan"
    )[0]
    duty.shift_type = split

    events = duty_events([duty], host="example.org")

    assert [(e.start.hour, e.end.hour) for e in events] == [(8, 12), (16, 20)]
    assert len({e.uid for e in events}) == 2
    assert split.unpaid_minutes == 240


def test_the_pdf_fetches_nothing_from_outside():
    pdf = pdf_render('<p>Dienstplan</p><img src="http://example.org/x.png">')

    assert pdf.startswith(b"%PDF")
