from __future__ import annotations

from datetime import date, timedelta

import pytest

from kontaktpunkt.roster.board import board_build, cell_token
from kontaktpunkt.roster.models import Absence, AbsenceKind, Wish
from kontaktpunkt.roster.selectors import plan_snapshot, version_published
from kontaktpunkt.roster.tests.builders import tiny_grid
from kontaktpunkt.roster.tests.factories import draft_write, staff, tiny_plan
from kontaktpunkt.roster.validator import roster_validate

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)


def _board(plan, *, private: bool = True, grid=None):
    if grid is not None:
        draft_write(plan, grid)
        version = plan.versions.get(status="draft")
    else:
        version = version_published(plan)
    snapshot = plan_snapshot(plan=plan, version=version)
    violations = roster_validate(snapshot.instance, snapshot.roster)
    return board_build(
        snapshot,
        violations,
        editable=private,
        cell_url=lambda member, day: f"/{member.pk}/{day}/",
        private=private,
    )


def test_each_cell_says_its_shift_and_post_in_letters_and_words():
    board = _board(tiny_plan(start=MONDAY))

    cell = board.rows[0].cells[0]
    assert (cell.letter, cell.post, cell.label) == ("F", "TL", "Frühdienst, Teamleitung im Dienst")
    assert "s-E" in cell.css
    assert cell.token == "E:team_lead"
    assert "post-team_lead" in cell.css
    assert board.rows[0].cells[3].label == "frei"


def test_the_hours_balance_is_worked_against_due():
    board = _board(tiny_plan(start=MONDAY))

    row = board.rows[2]  # four early shifts: 32 h against 24 h
    assert (row.worked_h, row.due_h, row.balance_h, row.balance_minutes) == (
        "32,0",
        "24,0",
        "+8,0",
        480,
    )


def test_a_broken_rule_marks_the_cell_the_row_and_the_day():
    plan = tiny_plan(start=MONDAY, publish=False)
    grid = dict(tiny_grid())
    grid[(1, 1)] = "E"  # late on Monday, early on Tuesday: too little rest; no lead Tuesday late
    # (and three to walk the early patrol, one of them alone)

    board = _board(plan, grid=grid)

    assert board.rows[1].cells[1].problem
    assert "Regelverstoß" in board.rows[1].cells[1].label
    assert board.rows[1].problem
    assert board.columns[1].problem
    assert [(s.letter, s.planned, s.minimum) for s in board.columns[1].staffing] == [
        ("F", 4, 1),
        ("S", 0, 1),
    ]
    assert board.violation_count == len(board.violations) >= 2


def test_viewers_see_absence_without_its_kind_and_no_wishes_or_violations():
    plan = tiny_plan(start=MONDAY)
    member = staff(plan, 5)
    day = MONDAY + timedelta(days=4)
    Absence.objects.create(staff=member, kind=AbsenceKind.SICKNESS, first_day=day, last_day=day)
    Wish.objects.create(staff=member, day=day + timedelta(days=1))

    public = _board(plan, private=False).rows[5]
    private = _board(plan, private=True).rows[5]

    assert (public.cells[4].letter, public.cells[4].label) == ("\u2013", "abwesend")
    assert (private.cells[4].letter, private.cells[4].label) == ("K", "Krankheit")
    assert "wish" not in public.cells[5].css
    assert "Wunsch: frei" in private.cells[5].label


def test_weekends_and_holidays_are_marked_in_the_columns():
    board = _board(tiny_plan(start=date(2025, 12, 22)))

    christmas = board.columns[3]
    assert christmas.day == date(2025, 12, 25)
    assert christmas.holiday
    assert board.columns[5].weekend and board.columns[6].weekend


def test_a_day_off_holds_no_token():
    assert cell_token(None, "patrol_pair") == ""
    assert cell_token("E", "") == "E:"
