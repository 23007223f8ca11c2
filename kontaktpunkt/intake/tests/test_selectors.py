from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.intake.models import Channel, IntakePoint
from kontaktpunkt.intake.selectors import (
    concern_due_at,
    concerns_per_operating_day,
    concerns_visible_to,
)
from kontaktpunkt.tenants.loader import tenant_load
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def krefeld(db):
    tenant_load(name="krefeld", dialogue_years=range(2023, 2024))


def test_kontaktpunkt_city_took_50_concerns_in_its_first_8_operating_days(krefeld):
    """The city's published figure: opened Tuesday 6 June 2023, about 50 concerns in 8 operating days."""
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    open_days = [date(2023, 6, d) for d in (6, 7, 9, 10, 12, 13, 14, 15)]
    for i in range(50):
        day = open_days[i % len(open_days)]
        ConcernFactory.create(
            channel=Channel.WALK_IN,
            intake_point=point,
            reported_at=datetime(day.year, day.month, day.day, 10 + i % 8, 15, tzinfo=BERLIN),
        )
    (figures,) = concerns_per_operating_day(
        start=date(2023, 6, 6),
        end=date(2023, 6, 15),
        intake_points=IntakePoint.objects.filter(pk=point.pk),
    )
    assert figures.operating_days == open_days  # not Corpus Christi (8 June), not Sunday 11 June
    assert figures.concerns == 50
    assert figures.per_operating_day == 6.25


def test_concerns_are_counted_on_their_local_day(krefeld):
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    # 23:30 in Berlin on 6 June is 21:30 UTC: still 6 June; 00:30 on 7 June is 22:30 UTC on 6 June.
    ConcernFactory.create(
        intake_point=point, reported_at=datetime(2023, 6, 6, 23, 30, tzinfo=BERLIN)
    )
    ConcernFactory.create(
        intake_point=point, reported_at=datetime(2023, 6, 7, 0, 30, tzinfo=BERLIN)
    )
    (figures,) = concerns_per_operating_day(
        start=date(2023, 6, 6),
        end=date(2023, 6, 7),
        intake_points=IntakePoint.objects.filter(pk=point.pk),
    )
    assert figures.concerns_by_day == {date(2023, 6, 6): 1, date(2023, 6, 7): 1}


def test_the_mobile_station_operates_only_in_its_season(krefeld):
    winter, summer = (
        concerns_per_operating_day(
            start=start,
            end=start + timedelta(days=6),
            intake_points=IntakePoint.objects.filter(slug="mobile-wache-theaterplatz"),
        )[0]
        for start in (date(2024, 1, 8), date(2024, 7, 8))
    )
    assert len(winter.operating_days) == 7
    assert summer.operating_days == []
    assert summer.per_operating_day == 0.0


def test_every_intake_point_is_reported_for_the_period(krefeld):
    figures = concerns_per_operating_day(start=date(2023, 6, 1), end=date(2023, 6, 30))
    assert {f.intake_point.slug for f in figures} == set(
        IntakePoint.objects.values_list("slug", flat=True)
    )
    dialogue = next(f for f in figures if f.intake_point.slug == "dialogtage")
    assert 1 <= len(dialogue.operating_days) <= 2


def test_the_deadline_is_counted_in_the_units_service_hours(krefeld):
    category = CategoryFactory.create(
        default_unit=Unit.objects.get(slug="city-works"), deadline_hours=8
    )
    # Friday 12:00; city works' office hours end at 13:00 on Fridays, Mon-Thu 08-16.
    concern = ConcernFactory.create(
        category=category, reported_at=datetime(2023, 6, 16, 12, 0, tzinfo=BERLIN)
    )
    assert concern_due_at(concern) == datetime(2023, 6, 19, 15, 0, tzinfo=BERLIN)


def test_a_person_sees_the_concerns_of_their_unit_and_no_others(
    kod_officer, streetworker, desk_clerk
):
    kod_concern = ConcernFactory.create(
        category=CategoryFactory.create(default_unit=Unit.objects.get(slug="kod"))
    )
    social = ConcernFactory.create(
        category=CategoryFactory.create(default_unit=Unit.objects.get(slug="streetwork"))
    )
    assert list(concerns_visible_to(kod_officer)) == [kod_concern]
    assert list(concerns_visible_to(streetworker)) == [social]
    assert set(concerns_visible_to(desk_clerk)) == {kod_concern, social}
