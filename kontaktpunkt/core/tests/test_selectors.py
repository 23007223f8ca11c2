from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kontaktpunkt.core.business_time import (
    DatedClosure,
    DatedOpening,
    WeeklyRule,
    add_business_hours,
    opening_intervals,
    operating_days,
)
from kontaktpunkt.core.models import Schedule, ScheduleDate, ScheduleRule
from kontaktpunkt.core.selectors import default_office_spec, schedule_list, schedule_spec

BERLIN = ZoneInfo("Europe/Berlin")


def make_city_schedule() -> Schedule:
    schedule = Schedule.objects.create(name="Kontaktpunkt City, Königstraße 114")
    for weekday in range(5):
        ScheduleRule.objects.create(
            schedule=schedule,
            weekday=weekday,
            opens=time(10),
            closes=time(20),
            valid_from=date(2023, 6, 6),
        )
    ScheduleRule.objects.create(
        schedule=schedule, weekday=5, opens=time(10), closes=time(18), valid_from=date(2023, 6, 6)
    )
    return schedule


@pytest.mark.django_db
def test_schedule_spec_carries_the_weekly_rules() -> None:
    spec = schedule_spec(make_city_schedule())

    assert len(spec.rules) == 6
    assert WeeklyRule(5, time(10), time(18), frozenset(), date(2023, 6, 6), None) in spec.rules
    assert spec.closed_on_public_holidays
    assert len(operating_days(spec, date(2023, 6, 6), date(2023, 6, 15))) == 8


@pytest.mark.django_db
def test_schedule_spec_carries_months_and_validity() -> None:
    schedule = Schedule.objects.create(name="Mobile Wache")
    ScheduleRule.objects.create(
        schedule=schedule,
        weekday=0,
        opens=time(8),
        closes=time(20),
        months=[10, 11, 12, 1, 2, 3],
        valid_until=date(2030, 3, 31),
    )

    (rule,) = schedule_spec(schedule).rules

    assert rule.months == frozenset({10, 11, 12, 1, 2, 3})
    assert rule.valid_until == date(2030, 3, 31)
    assert rule.valid_from is None


@pytest.mark.django_db
def test_schedule_spec_turns_dated_rows_into_openings_and_closures() -> None:
    schedule = make_city_schedule()
    ScheduleDate.objects.create(
        schedule=schedule, date=date(2023, 6, 14), opens=time(8), closes=time(12), note="Markt"
    )
    ScheduleDate.objects.create(schedule=schedule, date=date(2023, 6, 13), closed=True)

    spec = schedule_spec(schedule)

    assert spec.openings == (DatedOpening(date(2023, 6, 14), time(8), time(12)),)
    assert spec.closures == (DatedClosure(date(2023, 6, 13)),)
    assert opening_intervals(spec, date(2023, 6, 14)) == [(time(8), time(20))]
    assert opening_intervals(spec, date(2023, 6, 13)) == []


@pytest.mark.django_db
def test_schedule_spec_keeps_a_schedule_open_on_public_holidays_open() -> None:
    schedule = make_city_schedule()
    schedule.closed_on_public_holidays = False
    schedule.save()

    spec = schedule_spec(schedule)

    assert not spec.closed_on_public_holidays
    assert opening_intervals(spec, date(2023, 6, 8)) == [(time(10), time(20))]


@pytest.mark.django_db
def test_schedule_spec_takes_the_holidays_of_the_configured_state(settings) -> None:
    schedule = make_city_schedule()

    settings.KP_STATE_HOLIDAYS = "BE"
    assert schedule_spec(schedule).state == "BE"
    assert schedule_spec(schedule, state="BY").state == "BY"
    settings.KP_STATE_HOLIDAYS = "NW"
    assert schedule_spec(schedule).state == "NW"


@pytest.mark.django_db
def test_schedule_spec_refuses_an_unknown_state() -> None:
    with pytest.raises(ValueError, match="Unknown German state code"):
        schedule_spec(make_city_schedule(), state="XX")


@pytest.mark.django_db
def test_schedule_spec_uses_the_rows_prefetched_by_schedule_list() -> None:
    make_city_schedule()
    ScheduleDate.objects.create(
        schedule=Schedule.objects.get(), date=date(2023, 6, 13), closed=True
    )
    Schedule.objects.create(name="Leer")

    with CaptureQueriesContext(connection) as queries:
        specs = [schedule_spec(schedule) for schedule in schedule_list()]

    assert len(queries) == 3
    assert sorted(len(spec.rules) for spec in specs) == [0, 6]


@pytest.mark.django_db
def test_equal_schedules_share_one_spec() -> None:
    first = make_city_schedule()

    assert schedule_spec(first) is schedule_spec(Schedule.objects.get(pk=first.pk))


@pytest.mark.django_db
def test_a_changed_schedule_gives_a_new_spec() -> None:
    schedule = make_city_schedule()
    before = schedule_spec(schedule)
    ScheduleDate.objects.create(schedule=schedule, date=date(2023, 6, 13), closed=True)

    after = schedule_spec(schedule)

    assert after != before
    assert opening_intervals(after, date(2023, 6, 13)) == []
    assert opening_intervals(before, date(2023, 6, 13)) == [(time(10), time(20))]


def test_default_office_hours_are_monday_to_friday_eight_to_four(settings) -> None:
    settings.KP_STATE_HOLIDAYS = "NW"
    spec = default_office_spec()

    assert spec.state == "NW"
    assert opening_intervals(spec, date(2023, 6, 12)) == [(time(8), time(16))]
    assert opening_intervals(spec, date(2023, 6, 17)) == []
    assert opening_intervals(spec, date(2023, 6, 8)) == []
    assert add_business_hours(
        spec, datetime(2023, 6, 16, 17, tzinfo=BERLIN), 40, BERLIN
    ) == datetime(2023, 6, 23, 16, tzinfo=BERLIN)


def test_default_office_hours_follow_the_given_state() -> None:
    assert default_office_spec("BE").state == "BE"
    assert opening_intervals(default_office_spec("BE"), date(2023, 6, 8)) == [(time(8), time(16))]
    assert default_office_spec("BE") is default_office_spec("BE")
