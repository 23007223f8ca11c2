from __future__ import annotations

import pytest

from kontaktpunkt.roster.domain import AbsenceKind, Instance, Roster
from kontaktpunkt.roster.replan import Change, roster_replan_sick
from kontaktpunkt.roster.solver import SolverOptions, Status, roster_solve
from kontaktpunkt.roster.tests.builders import roster, tiny_grid, tiny_instance
from kontaktpunkt.roster.validator import roster_validate


@pytest.fixture(scope="module")
def published_week(kod48_week: Instance) -> Roster:
    result = roster_solve(kod48_week, options=SolverOptions(time_limit_s=20))
    assert result.roster is not None
    return result.roster


def test_a_three_day_sick_call_is_replanned_with_few_changes_and_no_violations(
    kod48_week, published_week
):
    person = next(p for p in range(48) if published_week.shift_of(p, 2) is not None)

    result = roster_replan_sick(kod48_week, published_week, person=person, days=[2, 3, 4])

    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert roster_validate(result.instance, result.roster) == ()
    assert all(result.roster.shift_of(person, d) is None for d in (2, 3, 4))
    assert 1 <= len(result.changes) <= 6
    assert result.seconds < 5


def test_the_sick_days_credit_the_planned_shifts(kod48_week, published_week):
    person = next(p for p in range(48) if published_week.shift_of(p, 2) is not None)

    result = roster_replan_sick(kod48_week, published_week, person=person, days=[2])

    sick = result.instance.absent[(person, 2)]
    assert sick.kind is AbsenceKind.SICKNESS
    assert sick.credit_minutes == 480


def test_a_sick_team_lead_is_replaced_by_another_lead():
    result = roster_replan_sick(tiny_instance(), roster(tiny_grid()), person=0, days=[0])

    assert result.roster is not None
    assert roster_validate(result.instance, result.roster) == ()
    assert result.changes[0] == Change(0, 0, "E", None)
    assert len(result.changes) == 2
    replacement = result.changes[1]
    assert (replacement.day, replacement.after) == (0, "E")
    assert replacement.person in (1, 2, 3)


def test_nothing_changes_when_the_sick_person_was_off_anyway(kod48_week, published_week):
    person = next(p for p in range(48) if published_week.shift_of(p, 5) is None)

    result = roster_replan_sick(kod48_week, published_week, person=person, days=[5])

    assert result.changes == ()
    assert result.roster == published_week


def test_a_sick_patrol_walker_leaves_nobody_to_walk_alone():
    # Monday early: the lead 0 with the pair 4 and 5; 4 calls in sick.
    result = roster_replan_sick(tiny_instance(), roster(tiny_grid()), person=4, days=[0])

    assert result.roster is not None
    assert roster_validate(result.instance, result.roster) == ()
    early = [p for p in range(6) if result.roster.shift_of(p, 0) == "E"]
    assert len(early) in (1, 3)  # the lead alone, or the lead and a pair
    assert Change(4, 0, "E", None) in result.changes
    assert len(result.changes) <= 3
