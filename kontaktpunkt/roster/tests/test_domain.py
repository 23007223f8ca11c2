from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest

from kontaktpunkt.roster.domain import (
    Absence,
    AbsenceKind,
    Assignment,
    Roster,
    Rules,
    ShiftType,
    absence_credit_minutes,
    block_ranges,
    contract_minutes,
    free_sundays_required,
    fully_available,
    is_sunday,
    is_weekend,
    rest_conflicts,
)
from kontaktpunkt.roster.tests.builders import tiny_instance


def test_a_split_shift_lasts_from_its_first_start_to_its_last_end_less_the_gap():
    split = ShiftType("G", "Geteilt", time(8), time(20), unpaid_minutes=240)

    assert (split.start_minute, split.end_minute, split.minutes) == (480, 1200, 480)


def test_a_shift_crossing_midnight_lasts_until_the_next_morning():
    night = ShiftType("N", "Nacht", time(22), time(6))

    assert (night.start_minute, night.end_minute, night.minutes) == (1320, 1800, 480)


def test_blocks_are_aligned_and_the_remainder_is_merged_into_the_last():
    blocks = block_ranges(365, 28)

    assert len(blocks) == 13
    assert blocks[0] == range(28)
    assert blocks[-1] == range(336, 365)


def test_a_horizon_shorter_than_a_block_is_one_block():
    assert block_ranges(14, 28) == (range(14),)


@pytest.mark.parametrize(("sundays", "free"), [(4, 1), (12, 3), (52, 15), (0, 0)])
def test_free_sundays_are_prorated_and_rounded(sundays, free):
    assert free_sundays_required(Rules(), sundays) == free


def test_only_a_late_shift_followed_by_an_early_one_breaks_the_rest_time():
    assert rest_conflicts(tiny_instance()) == frozenset({("L", "E")})


def test_the_calendar_knows_weekends_and_sundays():
    instance = tiny_instance()  # from Monday

    assert [is_weekend(instance, d) for d in range(7)] == [False] * 5 + [True, True]
    assert [d for d in range(7) if is_sunday(instance, d)] == [6]


def test_contract_minutes_count_weekdays_only():
    assert contract_minutes(tiny_instance(), 0, range(7)) == 24 * 60


def test_absences_credit_a_weekday_or_their_own_minutes():
    absences = (
        Absence(0, 0),
        Absence(0, 5),
        Absence(0, 2, AbsenceKind.SICKNESS, credit_minutes=480),
    )
    instance = replace(tiny_instance(), absences=absences)

    assert absence_credit_minutes(instance, 0, range(7)) == 288 + 480


def test_people_with_an_absence_in_the_block_are_not_fully_available():
    instance = replace(tiny_instance(), absences=(Absence(3, 4),))

    assert fully_available(instance, range(7)) == ()  # 24 h a week is not full time
    full_time = replace(instance, rules=Rules(full_time_weekly_minutes=24 * 60))
    assert fully_available(full_time, range(7)) == (0, 1, 2, 4, 5)


def test_a_roster_looks_up_shifts_by_person_and_day():
    roster = Roster.from_grid({(1, 2): "E", (0, 0): "L"})

    assert roster.assignments == (Assignment(0, 0, "L"), Assignment(1, 2, "E"))
    assert roster.shift_of(1, 2) == "E"
    assert roster.shift_of(1, 3) is None
