from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontaktpunkt.core.business_time import (
    DatedClosure,
    DatedOpening,
    ScheduleSpec,
    WeeklyRule,
    add_business_hours,
    business_hours_between,
    is_open_at,
    is_operating_day,
    opening_intervals,
    operating_days,
    weekly_rules,
)

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = 2
SUNDAY = 6

OFFICE = ScheduleSpec(rules=weekly_rules(range(5), time(8), time(16)), state="NW")
# Kontaktpunkt City, Königstraße 114, opened on Tuesday 6 June 2023.
CITY = ScheduleSpec(
    rules=(
        *weekly_rules(range(5), time(10), time(20), valid_from=date(2023, 6, 6)),
        WeeklyRule(5, time(10), time(18), valid_from=date(2023, 6, 6)),
    ),
    state="NW",
)
# Mobile Wache: daily 08-20 in the winter half year.
MOBILE = ScheduleSpec(
    rules=weekly_rules(range(7), time(8), time(20), months=(10, 11, 12, 1, 2, 3)), state="NW"
)
# Open in the small hours of the weekend, across the daylight-saving changes.
NIGHT = ScheduleSpec(rules=weekly_rules((5, 6), time(0), time(6)), state="NW")


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def test_the_city_office_has_eight_operating_days_in_its_first_ten_days() -> None:
    days = operating_days(CITY, date(2023, 6, 6), date(2023, 6, 15))

    assert len(days) == 8
    assert date(2023, 6, 8) not in days  # Fronleichnam
    assert date(2023, 6, 11) not in days  # Sunday
    assert date(2023, 6, 10) in days
    assert opening_intervals(CITY, date(2023, 6, 10)) == [(time(10), time(18))]


def test_the_city_office_does_not_open_before_its_opening_day() -> None:
    assert not is_operating_day(CITY, date(2023, 6, 5))
    assert is_operating_day(CITY, date(2023, 6, 6))


def test_a_weekly_rule_holds_until_and_including_its_last_day() -> None:
    spec = ScheduleSpec(
        rules=(WeeklyRule(0, time(8), time(12), valid_until=date(2023, 6, 12)),), state="NW"
    )

    assert is_operating_day(spec, date(2023, 6, 12))
    assert not is_operating_day(spec, date(2023, 6, 19))


def test_the_mobile_station_opens_in_winter_only() -> None:
    assert opening_intervals(MOBILE, date(2024, 1, 15)) == [(time(8), time(20))]
    assert opening_intervals(MOBILE, date(2024, 7, 15)) == []
    assert is_open_at(MOBILE, berlin(2024, 1, 15, 12), BERLIN)
    assert not is_open_at(MOBILE, berlin(2024, 7, 15, 12), BERLIN)


def test_a_dialogue_day_at_the_market_opens_that_wednesday_only() -> None:
    spec = ScheduleSpec(
        rules=(), openings=(DatedOpening(date(2023, 6, 14), time(9), time(13)),), state="NW"
    )

    assert operating_days(spec, date(2023, 6, 1), date(2023, 6, 30)) == [date(2023, 6, 14)]
    assert date(2023, 6, 14).weekday() == WEDNESDAY
    assert opening_intervals(spec, date(2023, 6, 14)) == [(time(9), time(13))]


def test_a_public_holiday_closes_the_weekly_rules() -> None:
    assert opening_intervals(OFFICE, date(2023, 6, 8)) == []
    assert not is_open_at(OFFICE, berlin(2023, 6, 8, 10), BERLIN)


def test_a_schedule_open_on_public_holidays_keeps_its_weekly_rules() -> None:
    spec = ScheduleSpec(rules=OFFICE.rules, closed_on_public_holidays=False, state="NW")

    assert opening_intervals(spec, date(2023, 6, 8)) == [(time(8), time(16))]


def test_a_dated_opening_on_a_public_holiday_still_opens() -> None:
    spec = ScheduleSpec(
        rules=OFFICE.rules,
        openings=(DatedOpening(date(2023, 6, 8), time(10), time(14)),),
        state="NW",
    )

    assert opening_intervals(spec, date(2023, 6, 8)) == [(time(10), time(14))]


def test_a_dated_closure_wins_over_rules_and_dated_openings() -> None:
    spec = ScheduleSpec(
        rules=OFFICE.rules,
        openings=(DatedOpening(date(2023, 6, 7), time(17), time(19)),),
        closures=(DatedClosure(date(2023, 6, 7)),),
        state="NW",
    )

    assert opening_intervals(spec, date(2023, 6, 7)) == []
    assert is_operating_day(spec, date(2023, 6, 6))


def test_overlapping_and_touching_openings_are_merged() -> None:
    spec = ScheduleSpec(
        rules=(
            WeeklyRule(0, time(11), time(14)),
            WeeklyRule(0, time(8), time(12)),
            WeeklyRule(0, time(14), time(16)),
            WeeklyRule(0, time(18), time(20)),
        ),
        openings=(DatedOpening(date(2023, 6, 12), time(15), time(17)),),
        state="NW",
    )

    assert opening_intervals(spec, date(2023, 6, 12)) == [
        (time(8), time(17)),
        (time(18), time(20)),
    ]
    assert opening_intervals(spec, date(2023, 6, 19)) == [
        (time(8), time(16)),
        (time(18), time(20)),
    ]


def test_holidays_are_those_of_the_schedules_state() -> None:
    berlin_office = ScheduleSpec(rules=OFFICE.rules, state="BE")

    assert is_operating_day(berlin_office, date(2023, 6, 8))
    assert not is_operating_day(berlin_office, date(2023, 3, 8))


def test_is_open_at_includes_the_opening_and_excludes_the_closing_time() -> None:
    assert is_open_at(OFFICE, berlin(2023, 6, 12, 8), BERLIN)
    assert is_open_at(OFFICE, berlin(2023, 6, 12, 15, 59), BERLIN)
    assert not is_open_at(OFFICE, berlin(2023, 6, 12, 16), BERLIN)
    assert not is_open_at(OFFICE, berlin(2023, 6, 12, 7, 59), BERLIN)


def test_is_open_at_reads_a_moment_in_any_timezone() -> None:
    assert is_open_at(OFFICE, datetime(2023, 6, 12, 6, 30, tzinfo=UTC), BERLIN)
    assert not is_open_at(OFFICE, datetime(2023, 6, 12, 14, 30, tzinfo=UTC), BERLIN)


def test_a_40_hour_deadline_for_a_friday_evening_concern_is_the_next_friday_at_closing() -> None:
    deadline = add_business_hours(OFFICE, berlin(2023, 6, 16, 17), 40, BERLIN)

    assert deadline == berlin(2023, 6, 23, 16)
    assert deadline.tzinfo is BERLIN


def test_a_40_hour_deadline_skips_corpus_christi() -> None:
    # Mon 5, Tue 6, Wed 7, (Thu 8 Fronleichnam), Fri 9, Mon 12 June: 5 x 8 hours.
    assert add_business_hours(OFFICE, berlin(2023, 6, 2, 17), 40, BERLIN) == berlin(2023, 6, 12, 16)
    assert add_business_hours(OFFICE, berlin(2023, 6, 2, 17), 41, BERLIN) == berlin(2023, 6, 13, 9)


def test_a_deadline_counts_from_the_moment_of_the_concern_when_the_office_is_open() -> None:
    assert add_business_hours(OFFICE, berlin(2023, 6, 12, 10, 30), 8, BERLIN) == berlin(
        2023, 6, 13, 10, 30
    )
    assert add_business_hours(OFFICE, berlin(2023, 6, 12, 10, 30), 0.25, BERLIN) == berlin(
        2023, 6, 12, 10, 45
    )


def test_a_deadline_of_zero_hours_is_the_moment_itself() -> None:
    start = datetime(2023, 6, 17, 10, tzinfo=UTC)

    assert add_business_hours(OFFICE, start, 0, BERLIN) == start


def test_a_deadline_comes_back_in_the_given_timezone() -> None:
    deadline = add_business_hours(OFFICE, datetime(2023, 6, 16, 15, tzinfo=UTC), 1, BERLIN)

    assert deadline == berlin(2023, 6, 19, 9)
    assert deadline.utcoffset() == timedelta(hours=2)


def test_business_hours_between_counts_open_time_only() -> None:
    assert (
        business_hours_between(OFFICE, berlin(2023, 6, 2, 17), berlin(2023, 6, 12, 16), BERLIN)
        == 40
    )
    assert (
        business_hours_between(OFFICE, berlin(2023, 6, 12, 7), berlin(2023, 6, 12, 9), BERLIN) == 1
    )
    assert business_hours_between(OFFICE, berlin(2023, 6, 17), berlin(2023, 6, 18), BERLIN) == 0


def test_business_hours_between_is_negative_when_the_end_comes_first() -> None:
    start, end = berlin(2023, 6, 12, 9), berlin(2023, 6, 13, 9)

    assert business_hours_between(OFFICE, end, start, BERLIN) == -8


def test_the_clocks_going_forward_shorten_a_night_opening_by_an_hour() -> None:
    # 26 March 2023: 02:00 CET becomes 03:00 CEST.
    assert business_hours_between(NIGHT, berlin(2023, 3, 26), berlin(2023, 3, 26, 12), BERLIN) == 5
    deadline = add_business_hours(NIGHT, berlin(2023, 3, 26), 4, BERLIN)
    assert deadline == datetime(2023, 3, 26, 3, tzinfo=UTC)
    assert (deadline.hour, deadline.utcoffset()) == (5, timedelta(hours=2))


def test_the_clocks_going_back_lengthen_a_night_opening_by_an_hour() -> None:
    # 29 October 2023: 03:00 CEST becomes 02:00 CET.
    assert (
        business_hours_between(NIGHT, berlin(2023, 10, 29), berlin(2023, 10, 29, 12), BERLIN) == 7
    )
    deadline = add_business_hours(NIGHT, berlin(2023, 10, 29), 4, BERLIN)
    assert deadline == datetime(2023, 10, 29, 2, tzinfo=UTC)
    assert (deadline.hour, deadline.utcoffset()) == (3, timedelta(hours=1))


def test_office_hours_keep_their_wall_clock_times_across_the_change_to_summer_time() -> None:
    deadline = add_business_hours(OFFICE, berlin(2023, 3, 24, 15), 2, BERLIN)

    assert deadline == berlin(2023, 3, 27, 9)
    assert deadline == datetime(2023, 3, 27, 7, tzinfo=UTC)
    assert is_open_at(OFFICE, datetime(2023, 3, 24, 7, tzinfo=UTC), BERLIN)
    assert not is_open_at(OFFICE, datetime(2023, 3, 27, 5, 30, tzinfo=UTC), BERLIN)
    assert is_open_at(OFFICE, datetime(2023, 3, 27, 6, tzinfo=UTC), BERLIN)


def test_a_wall_clock_time_skipped_by_the_clocks_going_forward_is_read_an_hour_later() -> None:
    spec = ScheduleSpec(rules=(WeeklyRule(SUNDAY, time(2, 30), time(4)),), state="NW")
    day_start, day_end = berlin(2023, 3, 26), berlin(2023, 3, 27)

    assert business_hours_between(spec, day_start, day_end, BERLIN) == 0.5
    assert add_business_hours(spec, day_start, 0.5, BERLIN) == berlin(2023, 3, 26, 4)


def test_a_schedule_that_never_opens_gives_no_deadline() -> None:
    spec = ScheduleSpec(rules=(), state="NW")

    with pytest.raises(ValueError, match="does not open"):
        add_business_hours(spec, berlin(2023, 6, 12), 1, BERLIN)


def test_a_deadline_after_a_long_closure_is_still_found() -> None:
    spec = ScheduleSpec(
        rules=(WeeklyRule(0, time(8), time(16), valid_from=date(2027, 1, 1)),), state="NW"
    )

    assert add_business_hours(spec, berlin(2023, 6, 12), 1, BERLIN) == berlin(2027, 1, 4, 9)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2023, 6, 12, 10)  # noqa: DTZ001

    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_hours(OFFICE, naive, 1, BERLIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_hours_between(OFFICE, naive, berlin(2023, 6, 13), BERLIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open_at(OFFICE, naive, BERLIN)


@pytest.mark.parametrize("hours", [-1.0, float("nan"), float("inf")])
def test_negative_or_infinite_hours_are_refused(hours: float) -> None:
    with pytest.raises(ValueError, match="hours"):
        add_business_hours(OFFICE, berlin(2023, 6, 12), hours, BERLIN)


def test_invalid_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="close after it opens"):
        WeeklyRule(0, time(16), time(8))
    with pytest.raises(ValueError, match="weekday"):
        WeeklyRule(7, time(8), time(16))
    with pytest.raises(ValueError, match="months"):
        WeeklyRule(0, time(8), time(16), frozenset({13}))
    with pytest.raises(ValueError, match="close after it opens"):
        DatedOpening(date(2023, 6, 12), time(10), time(10))
    with pytest.raises(ValueError, match="Unknown German state code"):
        ScheduleSpec(rules=(), state="XX")


def test_equal_specs_compare_and_hash_equal() -> None:
    again = ScheduleSpec(rules=weekly_rules(range(5), time(8), time(16)), state="NW")
    operating_days(OFFICE, date(2023, 1, 1), date(2023, 1, 31))

    assert again == OFFICE
    assert hash(again) == hash(OFFICE)
    assert again != ScheduleSpec(rules=again.rules, state="BY")


SPECS = st.sampled_from([OFFICE, CITY, MOBILE, NIGHT])
STARTS = st.datetimes(
    min_value=datetime(2022, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(BERLIN),
    allow_imaginary=False,
)
HOURS = st.floats(min_value=0, max_value=400, allow_nan=False)


@given(spec=SPECS, start=STARTS, hours=HOURS)
def test_the_hours_between_the_start_and_its_deadline_are_the_hours_asked_for(
    spec: ScheduleSpec, start: datetime, hours: float
) -> None:
    deadline = add_business_hours(spec, start, hours, BERLIN)

    assert deadline >= start
    assert business_hours_between(spec, start, deadline, BERLIN) == pytest.approx(hours, abs=1e-6)


@given(spec=SPECS, start=STARTS, hours=HOURS, more=HOURS)
def test_a_longer_deadline_never_comes_earlier(
    spec: ScheduleSpec, start: datetime, hours: float, more: float
) -> None:
    assert add_business_hours(spec, start, hours, BERLIN) <= add_business_hours(
        spec, start, hours + more, BERLIN
    )


@given(spec=SPECS, start=STARTS, hours=st.floats(min_value=0.001, max_value=400))
def test_the_last_moment_before_a_deadline_is_open_time(
    spec: ScheduleSpec, start: datetime, hours: float
) -> None:
    deadline = add_business_hours(spec, start, hours, BERLIN)

    assert is_open_at(spec, deadline - timedelta(microseconds=1), BERLIN)


@given(spec=SPECS, start=STARTS, middle=HOURS, end=HOURS)
def test_business_hours_add_up_over_consecutive_spans(
    spec: ScheduleSpec, start: datetime, middle: float, end: float
) -> None:
    start = start.astimezone(UTC)
    first = start + timedelta(hours=middle)
    second = first + timedelta(hours=end)

    total = business_hours_between(spec, start, second, BERLIN)
    parts = business_hours_between(spec, start, first, BERLIN) + business_hours_between(
        spec, first, second, BERLIN
    )
    assert total == pytest.approx(parts, abs=1e-9)
