from __future__ import annotations

from dataclasses import replace

from kontaktpunkt.roster.domain import Absence, Rules, Wish, WishKind
from kontaktpunkt.roster.metrics import (
    demand_min_met_pct,
    free_sundays,
    hours_balance_minutes,
    roster_metrics,
)
from kontaktpunkt.roster.tests.builders import roster, tiny_grid, tiny_instance

FULL_TIME_AT_24_H = Rules(block_days=7, full_time_weekly_minutes=24 * 60)


def test_the_hand_built_roster_meets_all_demand_and_has_these_figures():
    wishes = (
        Wish(4, 0),
        Wish(5, 3),
        Wish(0, 1, WishKind.SHIFT, "E"),
        Wish(1, 1, WishKind.SHIFT, "E"),
    )
    instance = replace(tiny_instance(rules=FULL_TIME_AT_24_H), wishes=wishes)

    figures = roster_metrics(instance, roster(tiny_grid()))

    assert figures.demand_min_met_pct == 100.0
    assert figures.target_met_pct == 100.0
    assert figures.wishes_granted_pct == 50.0  # 5 off, 0 on its early shift; 4 works, 1 is late
    assert figures.weekend_spread == 2  # person 2: Saturday and Sunday; 0, 1, 4, 5: none
    assert figures.late_spread == 3  # persons 1 and 3: three late shifts; 0, 2, 4: none
    assert figures.min_free_sundays == 0
    assert figures.hours_balance_max_h == 8.0
    assert figures.assignments == 17


def test_a_shift_below_its_minimum_lowers_the_demand_figure():
    grid = tiny_grid()
    del grid[(0, 2)]

    assert demand_min_met_pct(tiny_instance(), roster(grid)) == round(100 * 13 / 14, 2)


def test_people_away_in_a_block_are_left_out_of_the_spread():
    instance = replace(tiny_instance(rules=FULL_TIME_AT_24_H), absences=(Absence(2, 0),))

    figures = roster_metrics(instance, roster(tiny_grid()))

    assert figures.weekend_spread == 1  # person 3's Saturday against none


def test_free_sundays_and_the_hours_balance_are_counted_per_person():
    instance, rota = tiny_instance(), roster(tiny_grid())

    assert [free_sundays(instance, rota, p) for p in range(6)] == [1, 1, 0, 1, 1, 1]
    assert hours_balance_minutes(instance, rota, 2) == 480
    assert hours_balance_minutes(instance, rota, 4) == -480
