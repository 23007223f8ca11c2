from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontaktpunkt.core.holidays import (
    STATES,
    easter_sunday,
    is_public_holiday,
    public_holidays,
    repentance_day,
)

NATIONWIDE = {
    "Neujahr",
    "Karfreitag",
    "Ostermontag",
    "Tag der Arbeit",
    "Christi Himmelfahrt",
    "Pfingstmontag",
    "Tag der Deutschen Einheit",
    "1. Weihnachtstag",
    "2. Weihnachtstag",
}


def states_with(year: int, name: str) -> set[str]:
    return {state for state in STATES if name in public_holidays(year, state).values()}


def test_nrw_2023_has_eleven_public_holidays_with_corpus_christi_on_8_june() -> None:
    holidays = public_holidays(2023, "NW")

    assert len(holidays) == 11
    assert holidays[date(2023, 6, 8)] == "Fronleichnam"
    assert set(holidays.values()) == NATIONWIDE | {"Fronleichnam", "Allerheiligen"}


def test_holidays_come_in_date_order() -> None:
    holidays = list(public_holidays(2024, "BY"))

    assert holidays == sorted(holidays)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),
        (1943, date(1943, 4, 25)),
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2023, date(2023, 4, 9)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday_matches_the_published_dates(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("state", "count"),
    [
        ("BW", 12),
        ("BY", 13),
        ("BE", 10),
        ("BB", 12),
        ("HB", 10),
        ("HH", 10),
        ("HE", 10),
        ("MV", 11),
        ("NI", 10),
        ("NW", 11),
        ("RP", 11),
        ("SL", 12),
        ("SN", 11),
        ("ST", 11),
        ("SH", 10),
        ("TH", 11),
    ],
)
def test_each_state_has_its_number_of_holidays_in_2024(state: str, count: int) -> None:
    assert len(public_holidays(2024, state)) == count


def test_reformation_day_is_a_holiday_everywhere_in_2017() -> None:
    assert states_with(2017, "Reformationstag") == set(STATES)
    assert all(is_public_holiday(date(2017, 10, 31), state) for state in STATES)


def test_reformation_day_is_a_holiday_in_the_north_since_2018_and_in_the_east_always() -> None:
    east = {"BB", "MV", "SN", "ST", "TH"}
    north = {"HB", "HH", "NI", "SH"}

    assert states_with(2016, "Reformationstag") == east
    assert states_with(2018, "Reformationstag") == east | north
    assert states_with(2024, "Reformationstag") == east | north


def test_international_womens_day_is_a_holiday_in_berlin_since_2019_and_in_mv_since_2023() -> None:
    assert states_with(2018, "Internationaler Frauentag") == set()
    assert states_with(2019, "Internationaler Frauentag") == {"BE"}
    assert states_with(2022, "Internationaler Frauentag") == {"BE"}
    assert states_with(2023, "Internationaler Frauentag") == {"BE", "MV"}
    assert public_holidays(2023, "MV")[date(2023, 3, 8)] == "Internationaler Frauentag"


def test_world_childrens_day_is_a_holiday_in_thuringia_since_2019() -> None:
    assert not is_public_holiday(date(2018, 9, 20), "TH")
    assert public_holidays(2019, "TH")[date(2019, 9, 20)] == "Weltkindertag"
    assert states_with(2024, "Weltkindertag") == {"TH"}


def test_repentance_day_is_a_holiday_in_saxony_only() -> None:
    assert public_holidays(2023, "SN")[date(2023, 11, 22)] == "Buß- und Bettag"
    assert public_holidays(2024, "SN")[date(2024, 11, 20)] == "Buß- und Bettag"
    assert states_with(2024, "Buß- und Bettag") == {"SN"}


def test_regional_holidays_hold_in_their_states() -> None:
    assert states_with(2024, "Heilige Drei Könige") == {"BW", "BY", "ST"}
    assert states_with(2024, "Ostersonntag") == {"BB"}
    assert states_with(2024, "Pfingstsonntag") == {"BB"}
    assert states_with(2024, "Allerheiligen") == {"BW", "BY", "NW", "RP", "SL"}
    assert states_with(2024, "Fronleichnam") == {"BW", "BY", "HE", "NW", "RP", "SL"}
    assert states_with(2024, "Mariä Himmelfahrt") == {"BY", "SL"}


def test_berlin_had_one_off_holidays_on_8_may_2020_and_2025() -> None:
    assert public_holidays(2020, "BE")[date(2020, 5, 8)] == "Tag der Befreiung"
    assert public_holidays(2025, "BE")[date(2025, 5, 8)] == "Tag der Befreiung"
    assert not is_public_holiday(date(2024, 5, 8), "BE")
    assert not is_public_holiday(date(2025, 5, 8), "BB")


def test_two_holidays_on_one_day_keep_both_names() -> None:
    holidays = public_holidays(2008, "NW")

    assert holidays[date(2008, 5, 1)] == "Christi Himmelfahrt, Tag der Arbeit"
    assert len(holidays) == 10


def test_changing_the_returned_dict_does_not_change_later_answers() -> None:
    public_holidays(2023, "NW").clear()

    assert len(public_holidays(2023, "NW")) == 11
    assert is_public_holiday(date(2023, 6, 8), "NW")


def test_an_ordinary_day_is_not_a_holiday() -> None:
    assert not is_public_holiday(date(2023, 6, 7), "NW")
    assert not is_public_holiday(date(2023, 6, 8), "BE")


@pytest.mark.parametrize("state", ["XX", "nw", "", "NRW"])
def test_an_unknown_state_code_is_refused_with_the_list_of_codes(state: str) -> None:
    with pytest.raises(ValueError, match="Unknown German state code") as excinfo:
        public_holidays(2023, state)
    assert "NW" in str(excinfo.value)

    with pytest.raises(ValueError, match="Unknown German state code"):
        is_public_holiday(date(2023, 1, 1), state)


@given(year=st.integers(min_value=1995, max_value=2400), state=st.sampled_from(sorted(STATES)))
def test_movable_holidays_fall_on_their_weekdays(year: int, state: str) -> None:
    easter = easter_sunday(year)
    holidays = public_holidays(year, state)

    assert date(year, 3, 22) <= easter <= date(year, 4, 25)
    assert easter.weekday() == 6
    assert all(day.year == year for day in holidays)
    assert {name for names in holidays.values() for name in names.split(", ")} >= NATIONWIDE
    assert holidays[easter - timedelta(days=2)] == "Karfreitag"
    assert (easter - timedelta(days=2)).weekday() == 4
    assert holidays[easter + timedelta(days=50)] == "Pfingstmontag"
    assert (easter + timedelta(days=60)).weekday() == 3
    assert repentance_day(year).weekday() == 2
    assert date(year, 11, 16) <= repentance_day(year) <= date(year, 11, 22)
