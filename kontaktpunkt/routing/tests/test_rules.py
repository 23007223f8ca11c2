"""Rule matching: each condition on its own, the time window over midnight, and precedence."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kontaktpunkt.routing.rules import (
    RuleData,
    Situation,
    rule_choose,
    rule_matches,
    time_in_window,
)

BERLIN = ZoneInfo("Europe/Berlin")
ANY = RuleData(
    id=1,
    name="alles",
    category_id=None,
    field="",
    area_id=None,
    zone_id=None,
    weekdays=frozenset(),
    time_from=None,
    time_until=None,
    months=frozenset(),
    unit_id=10,
)
# Friday 21 November 2026, 23:30 local time, litter in Mitte (area 5) inside the ban zone 7
FRIDAY_NIGHT = Situation(
    category_id=3,
    field="cleanliness",
    area_ids=frozenset({5, 50}),
    zone_ids=frozenset({7}),
    at=datetime(2026, 11, 20, 23, 30, tzinfo=BERLIN),
)


def test_a_rule_without_conditions_matches_everything():
    assert rule_matches(ANY, FRIDAY_NIGHT)


def test_each_condition_that_does_not_hold_stops_the_match():
    misses = [
        replace(ANY, category_id=4),
        replace(ANY, field="security"),
        replace(ANY, area_id=6),
        replace(ANY, zone_id=8),
        replace(ANY, weekdays=frozenset({0, 1, 2, 3})),
        replace(ANY, months=frozenset({4, 5, 6})),
        replace(ANY, time_from=time(8), time_until=time(20)),
    ]
    assert [rule_matches(rule, FRIDAY_NIGHT) for rule in misses] == [False] * len(misses)


def test_a_night_window_runs_over_midnight():
    night = replace(ANY, time_from=time(22), time_until=time(6))

    assert rule_matches(night, FRIDAY_NIGHT)
    assert rule_matches(
        night, replace(FRIDAY_NIGHT, at=datetime(2026, 11, 21, 5, 59, tzinfo=BERLIN))
    )
    assert not rule_matches(
        night, replace(FRIDAY_NIGHT, at=datetime(2026, 11, 21, 6, 0, tzinfo=BERLIN))
    )


def test_the_first_matching_rule_in_order_wins():
    special = replace(ANY, id=2, zone_id=7, unit_id=20)
    other = replace(ANY, id=3, zone_id=8, unit_id=30)

    assert rule_choose([other, special, ANY], FRIDAY_NIGHT) == special
    assert rule_choose([other], FRIDAY_NIGHT) is None


@given(st.times(), st.times(), st.times())
def test_a_window_and_its_complement_cover_each_moment_once(moment, start, end):
    if start == end:
        return
    inside = time_in_window(moment, start, end)
    outside = time_in_window(moment, end, start)
    assert inside != outside
