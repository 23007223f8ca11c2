from __future__ import annotations

from dataclasses import replace
from datetime import time

from ortools.sat.python import cp_model

from kontaktpunkt.roster.domain import Absence, Instance, Rules, ShiftDemand, ShiftType
from kontaktpunkt.roster.model import (
    FixedAfter,
    PersonState,
    Weights,
    Window,
    WindowModel,
    cp_solver,
    window_model,
)
from kontaktpunkt.roster.tests.builders import NONE, tiny_instance

WEEK = range(7)


def _window(**changes) -> Window:
    base = Window(
        days=WEEK,
        committed=WEEK,
        states=tuple(PersonState() for _ in range(6)),
        free_sundays_min=(0,) * 6,
    )
    return replace(base, **changes)


def _solve(instance: Instance, window: Window) -> tuple[WindowModel, cp_model.CpSolver]:
    wm = window_model(instance, window, Weights())
    wm.minimize()
    solver = cp_solver(time_limit_s=10)
    assert solver.solve(wm.model) == cp_model.OPTIMAL
    return wm, solver


def test_a_carried_in_run_of_six_days_leaves_the_first_day_off():
    states = tuple(PersonState("E", 6) if p == 0 else PersonState() for p in range(6))

    wm, solver = _solve(tiny_instance(), _window(states=states))

    assert (0, 0) not in wm.grid(solver, WEEK)


def test_a_shift_longer_than_ten_hours_is_never_planned():
    long_shift = ShiftType("D", "Lang", time(6), time(17))
    base = tiny_instance()
    instance = replace(
        base,
        shift_types=(*base.shift_types, long_shift),
        demand=tuple((*day, ShiftDemand(minimum=1, target=1, team_leads=0)) for day in base.demand),
    )

    wm = window_model(instance, _window(), Weights())

    assert not [key for key in wm.x if key[2] == 2]


def test_a_late_shift_the_day_before_rules_out_an_early_shift_on_the_first_day():
    states = tuple(PersonState("L", 1) for _ in range(6))

    wm = window_model(tiny_instance(), _window(states=states), Weights())

    assert all(len(wm.shifts_of(p, 0)) == 1 for p in range(6))  # only the late shift is left


def test_a_fixed_early_shift_after_the_window_forbids_a_late_shift_on_its_last_day():
    after = tuple(FixedAfter("E", 1) for _ in range(6))
    window = _window(days=range(6), committed=range(6), after=after)

    wm, solver = _solve(tiny_instance(days=7), window)

    assert all(wm.grid(solver, range(6)).get((p, 5)) != "L" for p in range(6))


def test_the_free_sundays_still_owed_are_kept():
    wm, solver = _solve(tiny_instance(), _window(free_sundays_min=(1,) * 6))

    assert not [p for p in range(6) if (p, 6) in wm.grid(solver, WEEK)]
    assert solver.value(wm.shortfall[(6, 0)]) == 1  # nobody may work the Sunday early shift


def test_a_minimum_above_the_staff_becomes_a_named_shortfall_not_an_infeasible_model():
    base = tiny_instance()
    demand = list(base.demand)
    demand[0] = (ShiftDemand(minimum=7, target=7, team_leads=1), demand[0][1])

    wm, solver = _solve(replace(base, demand=tuple(demand)), _window())

    assert solver.value(wm.shortfall[(0, 0)]) == 2  # six people, one of them on the late shift


def test_the_optimum_of_the_hand_built_week_misses_only_one_hours_band():
    # 13 shifts need a team lead, but four leads at 3 shifts (24 h) make 12: one works a fourth.
    _, solver = _solve(tiny_instance(), _window())

    assert solver.objective_value == Weights().hours_band


def test_nobody_beyond_the_team_lead_is_left_to_walk_alone():
    # A target of two (lead + one) cannot be met in pairs: every shift has the lead alone or
    # the lead and a pair; Sunday late, without any demand, has nobody or a pair.
    base = tiny_instance()
    two = ShiftDemand(minimum=1, target=2, team_leads=1)
    instance = replace(base, demand=tuple((two, late) for _, late in base.demand))

    wm, solver = _solve(instance, _window())

    grid = wm.grid(solver, WEEK)
    for day in WEEK:
        for s, code in enumerate(instance.shift_codes):
            people = sum(1 for p in range(6) if grid.get((p, day)) == code)
            walkers = people - instance.demand[day][s].special_posts
            assert walkers <= 0 or walkers % 2 == 0, (day, code, people)


def test_an_odd_patrol_is_a_named_gap_when_nobody_can_complete_the_pair():
    # Monday early wants a lead and one more (an odd patrol of one): only the lead and one other
    # may work that day, so the pair misses a person although the minimum of two is met.
    base = tiny_instance()
    demand = list(base.demand)
    demand[0] = (ShiftDemand(minimum=2, target=2, team_leads=1), NONE)
    away = tuple(Absence(p, 0) for p in (1, 2, 3, 5))
    instance = replace(base, demand=tuple(demand), absences=away)

    wm, solver = _solve(instance, _window())

    assert solver.value(wm.shortfall[(0, 0)]) == 1
    assert {p for p in range(6) if wm.grid(solver, WEEK).get((p, 0)) == "E"} == {0, 4}


def _parity_cuts(wm: WindowModel) -> list[set[str]]:
    """The variable names of each cut "bands and shortfalls give at least 1"."""
    proto = wm.model.proto
    return [
        {proto.variables[v].name.split("_")[0] for v in c.linear.vars}
        for c in proto.constraints
        if c.has_linear() and c.linear.domain[0] == 1 and set(c.linear.coeffs) == {1}
    ]


def test_the_bound_sees_when_exact_hours_cannot_add_up_to_whole_pairs():
    # No demand at all: people work in pairs or not. The hours band wants exactly 3 shifts of
    # each person (24 h; a wide tolerance keeps it soft): two people can, one alone cannot.
    base = tiny_instance(rules=Rules(block_days=7, hours_tolerance_minutes=24 * 60))
    instance = replace(base, demand=tuple((NONE, NONE) for _ in WEEK))
    alone = replace(instance, staff=instance.staff[4:5])
    pair = replace(instance, staff=instance.staff[4:6])

    def window(n: int) -> Window:
        return _window(states=(PersonState(),) * n, free_sundays_min=(0,) * n)

    assert _parity_cuts(window_model(alone, window(1), Weights())) == [{"hours", "short"}]
    assert _parity_cuts(window_model(pair, window(2), Weights())) == []
    _, solver = _solve(pair, window(2))
    assert solver.objective_value == 0  # the two work their three shifts together
