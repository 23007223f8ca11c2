from __future__ import annotations

from dataclasses import replace
from datetime import time

from kontaktpunkt.roster.domain import (
    Absence,
    AbsenceKind,
    Assignment,
    CarryIn,
    Post,
    Roster,
    Rules,
    ShiftDemand,
    ShiftType,
)
from kontaktpunkt.roster.tests.builders import (
    NONE,
    grid_from_rows,
    roster,
    tiny_grid,
    tiny_instance,
)
from kontaktpunkt.roster.validator import Rule, Violation, roster_validate


def _only(violations: tuple[Violation, ...]) -> Violation:
    assert len(violations) == 1, [v.message for v in violations]
    return violations[0]


def test_the_hand_built_roster_keeps_every_rule():
    assert roster_validate(tiny_instance(), roster(tiny_grid())) == ()


def test_two_shifts_on_one_day_are_reported():
    instance = tiny_instance(rules=Rules(block_days=7, max_daily_minutes=16 * 60))
    late_too = (Assignment(4, 1, "L"), Assignment(5, 1, "L"))  # the patrol pair works both
    doubled = Roster((*roster(tiny_grid()).assignments, *late_too))

    violations = roster_validate(instance, doubled)

    assert [(v.rule, v.person, v.day) for v in violations] == [
        (Rule.ONE_SHIFT_A_DAY, 4, 1),
        (Rule.ONE_SHIFT_A_DAY, 5, 1),
    ]
    assert violations[0].message == "KOD-04: mehr als eine Schicht am Di 07.01.2025 (Früh, Spät)."


def test_a_shift_longer_than_ten_hours_is_reported():
    long_shift = ShiftType("D", "Lang", time(6), time(17))
    base = tiny_instance()
    instance = replace(
        base,
        shift_types=(*base.shift_types, long_shift),
        demand=tuple((*day, NONE) for day in base.demand),
    )
    grid = tiny_grid() | {(4, 2): "D", (5, 2): "D"}

    violations = roster_validate(instance, roster(grid))

    assert [(v.rule, v.person) for v in violations] == [
        (Rule.DAILY_HOURS, 4),
        (Rule.DAILY_HOURS, 5),
    ]
    assert violations[0].message == (
        "KOD-04: Lang am Mi 08.01.2025 dauert 11,0 Std. (höchstens 10,0 Std. am Tag)."
    )


def test_the_unpaid_gap_of_a_split_shift_counts_neither_as_hours_nor_against_the_maximum():
    split = ShiftType("G", "Geteilt", time(6), time(18), unpaid_minutes=240)
    base = tiny_instance()
    instance = replace(
        base,
        shift_types=(*base.shift_types, split),
        demand=tuple((*day, NONE) for day in base.demand),
    )
    # people 4 and 5 work 8 hours on Wednesday instead of nothing: 16 h become 24 h
    grid = tiny_grid() | {(4, 2): "G", (5, 2): "G"}

    assert roster_validate(instance, roster(grid)) == ()


def test_work_on_a_leave_day_is_reported():
    instance = replace(tiny_instance(), absences=(Absence(5, 0, AbsenceKind.LEAVE),))

    violation = _only(roster_validate(instance, roster(tiny_grid())))

    assert violation.rule is Rule.ABSENCE
    assert violation.message == (
        "KOD-05 ist am Mo 06.01.2025 abwesend (Urlaub), aber für Früh eingeteilt."
    )


def test_an_early_shift_after_a_late_one_breaks_the_rest_time():
    grid = tiny_grid() | {(0, 0): "L", (1, 0): "E"}  # the two leads swap Monday's shifts

    violation = _only(roster_validate(tiny_instance(), roster(grid)))

    assert violation.rule is Rule.REST_TIME
    assert (violation.person, violation.day, violation.shift) == (0, 1, "E")
    assert violation.message == (
        "KOD-00: Ruhezeit zwischen Spät am Mo 06.01.2025 und Früh am Di 07.01.2025 nur "
        "8,0 Std. (mindestens 11,0 Std.)."
    )


def test_the_rest_time_counts_the_late_shift_before_day_zero():
    history = tuple(CarryIn("L", 1) if p == 0 else CarryIn() for p in range(6))
    instance = replace(tiny_instance(), history=history)

    violation = _only(roster_validate(instance, roster(tiny_grid())))

    assert violation.rule is Rule.REST_TIME
    assert "Spät am So 05.01.2025 und Früh am Mo 06.01.2025" in violation.message


def test_the_run_carried_in_counts_towards_the_days_in_a_row():
    history = tuple(CarryIn("E", 4) if p == 0 else CarryIn() for p in range(6))
    instance = replace(tiny_instance(), history=history)

    violation = _only(roster_validate(instance, roster(tiny_grid())))

    assert violation.rule is Rule.CONSECUTIVE_DAYS
    assert (violation.person, violation.day) == (0, 2)
    assert violation.message == "KOD-00: 7 Arbeitstage in Folge bis Mi 08.01.2025 (höchstens 6)."


def test_a_person_working_every_sunday_misses_the_free_sundays():
    instance = tiny_instance(rules=Rules(block_days=7, free_sundays_per_year=52))

    violation = _only(roster_validate(instance, roster(tiny_grid())))

    assert violation.rule is Rule.FREE_SUNDAYS
    assert violation.person == 2
    assert violation.message == "KOD-02: nur 0 freie Sonntage im Planungszeitraum (mindestens 1)."


def _without_tuesday_patrol() -> dict[tuple[int, int], str]:
    """The tiny roster without the patrol pair (people 4 and 5) on Tuesday: 8 h each."""
    grid = tiny_grid()
    del grid[(4, 1)], grid[(5, 1)]
    return grid


def test_too_few_hours_in_a_block_are_reported():
    grid = _without_tuesday_patrol()

    violations = roster_validate(tiny_instance(), roster(grid))

    assert [(v.rule, v.person) for v in violations] == [
        (Rule.CONTRACT_HOURS, 4),
        (Rule.CONTRACT_HOURS, 5),
    ]
    assert violations[0].message == (
        "KOD-04: 8,0 Std. im Block 06.01. bis 12.01.2025 (Soll 24,0 Std. ± 8,0 Std.)."
    )


def test_absent_weekdays_are_credited_but_weekend_days_are_not():
    grid = _without_tuesday_patrol()
    on_weekdays = tuple(Absence(p, d) for p in (4, 5) for d in (2, 3, 4))
    on_weekend = tuple(Absence(p, d) for p in (4, 5) for d in (5, 6))

    credited = roster_validate(replace(tiny_instance(), absences=on_weekdays), roster(grid))
    not_credited = roster_validate(replace(tiny_instance(), absences=on_weekend), roster(grid))

    assert credited == ()
    assert [v.rule for v in not_credited] == [Rule.CONTRACT_HOURS] * 2


def test_a_sick_day_credits_its_own_minutes():
    grid = _without_tuesday_patrol()
    sick = tuple(Absence(p, 1, AbsenceKind.SICKNESS, credit_minutes=8 * 60) for p in (4, 5))

    assert roster_validate(replace(tiny_instance(), absences=sick), roster(grid)) == ()


def test_the_remainder_of_the_horizon_is_merged_into_the_last_block():
    instance = tiny_instance(days=8)
    grid = tiny_grid() | grid_from_rows({0: ".......E", 1: ".......L"})

    violations = roster_validate(instance, roster(grid))

    assert [(v.rule, v.person) for v in violations] == [
        (Rule.CONTRACT_HOURS, 4),
        (Rule.CONTRACT_HOURS, 5),
    ]
    assert "im Block 06.01. bis 13.01.2025 (Soll 28,8 Std." in violations[0].message


def test_a_shift_below_the_minimum_staff_is_reported():
    base = tiny_instance()
    demand = list(base.demand)
    demand[2] = (ShiftDemand(minimum=2, target=2, team_leads=1), demand[2][1])
    instance = replace(base, demand=tuple(demand))

    violation = _only(roster_validate(instance, roster(tiny_grid())))

    assert violation.rule is Rule.MIN_STAFFING
    assert (violation.day, violation.shift) == (2, "E")
    assert violation.message == "Früh am Mi 08.01.2025: nur 1 eingeteilt, Mindestbesetzung 2."


def test_a_shift_without_a_team_lead_is_reported():
    grid = tiny_grid()
    del grid[(0, 2)]
    grid[(4, 2)] = "E"

    violation = _only(roster_validate(tiny_instance(), roster(grid)))

    assert violation.rule is Rule.TEAM_LEAD
    assert violation.message == "Früh am Mi 08.01.2025: keine Teamleitung eingeteilt."


def test_a_patrol_walker_without_a_partner_is_reported():
    grid = tiny_grid() | {(4, 2): "E"}  # beside the team lead, person 4 would walk alone

    violation = _only(roster_validate(tiny_instance(), roster(grid)))

    assert violation.rule is Rule.PATROL_PAIRS
    assert (violation.person, violation.day, violation.shift) == (None, 2, "E")
    assert violation.message == (
        "Streife allein: Früh am Mi 08.01.2025 geht 1 Kraft Streife; Streifen gehen zu zweit."
    )


def test_the_desk_and_the_mobile_wache_do_not_walk_the_patrol():
    base = tiny_instance()
    posts = ((Post.DESK, 1), (Post.MOBILE, 1))
    demand = list(base.demand)
    demand[2] = (ShiftDemand(minimum=1, target=1, team_leads=1, posts=posts), demand[2][1])
    instance = replace(base, demand=tuple(demand))
    three = tiny_grid() | {(4, 2): "E", (5, 2): "E"}  # lead, desk and Mobile Wache
    four = three | {(3, 2): "E"}  # and one on patrol, alone

    assert roster_validate(instance, roster(three)) == ()
    assert _only(roster_validate(instance, roster(four))).rule is Rule.PATROL_PAIRS


def test_two_walkers_on_a_shift_without_demand_are_a_pair_and_one_is_not():
    pair = tiny_grid() | {(4, 6): "L", (5, 6): "L"}  # Sunday late: no demand at all

    assert roster_validate(tiny_instance(), roster(pair)) == ()
    alone = _only(roster_validate(tiny_instance(), roster(tiny_grid() | {(4, 6): "L"})))
    assert (alone.rule, alone.day, alone.shift) == (Rule.PATROL_PAIRS, 6, "L")


def test_unknown_shifts_people_and_days_are_reported_and_not_counted():
    entries = (
        Assignment(4, 3, "X"),
        Assignment(9, 0, "E"),
        Assignment(4, 7, "E"),
    )
    hand_edited = Roster((*roster(tiny_grid()).assignments, *entries))

    violations = roster_validate(tiny_instance(), hand_edited)

    assert [v.rule for v in violations] == [Rule.UNKNOWN_ENTRY] * 3
    assert "KOD-04: unbekannte Schicht „X“ am Do 09.01.2025." in [v.message for v in violations]


def test_violations_are_ordered_by_day():
    grid = tiny_grid() | {(0, 0): "L", (1, 0): "E"}
    del grid[(2, 6)]  # Sunday early without anyone

    violations = roster_validate(tiny_instance(), roster(grid))

    assert [v.day for v in violations] == sorted(v.day or -1 for v in violations)
    assert {v.rule for v in violations} == {Rule.REST_TIME, Rule.MIN_STAFFING, Rule.TEAM_LEAD}
