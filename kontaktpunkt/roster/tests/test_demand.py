from __future__ import annotations

from datetime import date, time

from kontaktpunkt.roster.demand import DemandRuleSpec, demand_resolve, post_need, shift_demand
from kontaktpunkt.roster.domain import Post, ShiftDemand, ShiftType

EARLY = ShiftType("E", "Früh", time(6), time(14))
LATE = ShiftType("L", "Spät", time(14), time(22), late=True)
FRIDAY = date(2026, 11, 20)
SATURDAY = date(2026, 11, 21)
SUNDAY = date(2026, 11, 22)
BASE = (
    DemandRuleSpec(Post.PATROL_PAIR, minimum=8, target=10),
    DemandRuleSpec(Post.TEAM_LEAD, minimum=1, target=1),
)


def test_patrols_in_pairs_and_a_team_lead_make_the_minimum_and_target():
    assert shift_demand(BASE, EARLY, FRIDAY) == ShiftDemand(
        minimum=9, target=11, team_leads=1, posts=((Post.PATROL_PAIR, 4), (Post.TEAM_LEAD, 1))
    )


def test_more_on_friday_and_saturday_evenings_raises_the_late_shift_only():
    evenings = DemandRuleSpec(
        Post.PATROL_PAIR, minimum=10, target=12, shift="L", weekdays=frozenset({4, 5})
    )
    rules = (*BASE, evenings)

    assert post_need(rules, Post.PATROL_PAIR, LATE, FRIDAY) == (10, 12)
    assert post_need(rules, Post.PATROL_PAIR, EARLY, FRIDAY) == (8, 10)
    assert post_need(rules, Post.PATROL_PAIR, LATE, SUNDAY) == (8, 10)


def test_a_dated_rule_replaces_the_weekly_rules_of_its_post_on_that_day():
    event = DemandRuleSpec(Post.PATROL_PAIR, minimum=4, target=4, on_date=SATURDAY)

    assert post_need((*BASE, event), Post.PATROL_PAIR, EARLY, SATURDAY) == (4, 4)
    assert post_need((*BASE, event), Post.PATROL_PAIR, EARLY, FRIDAY) == (8, 10)


def test_the_mobile_station_is_staffed_in_its_season_and_while_it_is_open():
    def openings(day: date) -> list[tuple[time, time]]:
        return [(time(8), time(20))]

    mobile = DemandRuleSpec(
        Post.MOBILE, minimum=2, target=2, months=frozenset({10, 11, 12, 1, 2, 3}), openings=openings
    )
    night = ShiftType("N", "Nacht", time(22), time(6))

    assert post_need([mobile], Post.MOBILE, EARLY, FRIDAY) == (2, 2)
    assert post_need([mobile], Post.MOBILE, LATE, FRIDAY) == (2, 2)
    assert post_need([mobile], Post.MOBILE, night, FRIDAY) == (0, 0)
    assert post_need([mobile], Post.MOBILE, EARLY, date(2026, 6, 5)) == (0, 0)


def test_a_desk_closed_on_sunday_needs_nobody_then():
    def openings(day: date) -> list[tuple[time, time]]:
        return [] if day.weekday() == 6 else [(time(10), time(20))]

    desk = DemandRuleSpec(Post.DESK, minimum=1, target=1, openings=openings)

    assert post_need([desk], Post.DESK, EARLY, SATURDAY) == (1, 1)
    assert post_need([desk], Post.DESK, EARLY, SUNDAY) == (0, 0)


def test_rules_outside_their_validity_do_not_count_and_the_highest_number_wins():
    rules = (
        DemandRuleSpec(Post.DESK, minimum=1, target=2),
        DemandRuleSpec(Post.DESK, minimum=2, target=2, valid_from=SATURDAY),
        DemandRuleSpec(Post.DESK, minimum=5, target=5, valid_until=date(2026, 1, 1)),
    )

    assert post_need(rules, Post.DESK, EARLY, FRIDAY) == (1, 2)
    assert post_need(rules, Post.DESK, EARLY, SATURDAY) == (2, 2)


def test_demand_is_resolved_for_every_day_and_shift():
    demand = demand_resolve(BASE, (EARLY, LATE), FRIDAY, 3)

    assert len(demand) == 3
    assert all(len(day) == 2 for day in demand)
    assert demand[2][1].minimum == 9
