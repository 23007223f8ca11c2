"""German public holidays (gesetzliche Feiertage) per federal state, computed rather than stored.

The rules are those in force since 1995 (the year Buß- und Bettag stopped being a holiday outside
Saxony), with the changes since then applied by year. Holidays that only hold in some
municipalities of a state are not modelled, with one exception: Mariä Himmelfahrt is counted for
all of Bavaria although the law makes it a holiday only in communities with a Catholic majority,
because that is the rule for most of the state. Not modelled: Augsburger Friedensfest (Augsburg
only), Fronleichnam in parts of Saxony and Thuringia.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

STATES: Mapping[str, str] = MappingProxyType(
    {
        "BW": "Baden-Württemberg",
        "BY": "Bayern",
        "BE": "Berlin",
        "BB": "Brandenburg",
        "HB": "Bremen",
        "HH": "Hamburg",
        "HE": "Hessen",
        "MV": "Mecklenburg-Vorpommern",
        "NI": "Niedersachsen",
        "NW": "Nordrhein-Westfalen",
        "RP": "Rheinland-Pfalz",
        "SL": "Saarland",
        "SN": "Sachsen",
        "ST": "Sachsen-Anhalt",
        "SH": "Schleswig-Holstein",
        "TH": "Thüringen",
    }
)

_EPIPHANY_STATES = frozenset({"BW", "BY", "ST"})
_ALL_SAINTS_STATES = frozenset({"BW", "BY", "NW", "RP", "SL"})
_CORPUS_CHRISTI_STATES = frozenset({"BW", "BY", "HE", "NW", "RP", "SL"})
_ASSUMPTION_STATES = frozenset({"BY", "SL"})
_REFORMATION_STATES = frozenset({"BB", "MV", "SN", "ST", "TH"})
_REFORMATION_SINCE_2018_STATES = frozenset({"HB", "HH", "NI", "SH"})
# One-off holidays by law: Berlin's 75th and 80th anniversary of the end of the war in Europe.
_ONE_OFF: Mapping[tuple[int, str], tuple[tuple[date, str], ...]] = MappingProxyType(
    {
        (2020, "BE"): ((date(2020, 5, 8), "Tag der Befreiung"),),
        (2025, "BE"): ((date(2025, 5, 8), "Tag der Befreiung"),),
    }
)


def check_state(state: str) -> str:
    """Return `state` if it is a known state code (``"NW"``), raise `ValueError` otherwise."""
    if state not in STATES:
        codes = ", ".join(sorted(STATES))
        raise ValueError(f"Unknown German state code {state!r}; expected one of {codes}.")
    return state


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def repentance_day(year: int) -> date:
    """Buß- und Bettag: the Wednesday before 23 November (so between 16 and 22 November)."""
    nov_22 = date(year, 11, 22)
    return nov_22 - timedelta(days=(nov_22.weekday() - 2) % 7)


def _state_holidays(year: int, state: str) -> list[tuple[date, str]]:
    easter = easter_sunday(year)
    days: list[tuple[date, str]] = [
        (date(year, 1, 1), "Neujahr"),
        (easter - timedelta(days=2), "Karfreitag"),
        (easter + timedelta(days=1), "Ostermontag"),
        (date(year, 5, 1), "Tag der Arbeit"),
        (easter + timedelta(days=39), "Christi Himmelfahrt"),
        (easter + timedelta(days=50), "Pfingstmontag"),
        (date(year, 10, 3), "Tag der Deutschen Einheit"),
        (date(year, 12, 25), "1. Weihnachtstag"),
        (date(year, 12, 26), "2. Weihnachtstag"),
    ]
    if state in _EPIPHANY_STATES:
        days.append((date(year, 1, 6), "Heilige Drei Könige"))
    if (state == "BE" and year >= 2019) or (state == "MV" and year >= 2023):
        days.append((date(year, 3, 8), "Internationaler Frauentag"))
    if state == "BB":
        days.append((easter, "Ostersonntag"))
        days.append((easter + timedelta(days=49), "Pfingstsonntag"))
    if state in _CORPUS_CHRISTI_STATES:
        days.append((easter + timedelta(days=60), "Fronleichnam"))
    if state in _ASSUMPTION_STATES:
        days.append((date(year, 8, 15), "Mariä Himmelfahrt"))
    if state == "TH" and year >= 2019:
        days.append((date(year, 9, 20), "Weltkindertag"))
    if (
        state in _REFORMATION_STATES
        or (state in _REFORMATION_SINCE_2018_STATES and year >= 2018)
        or year == 2017
    ):
        days.append((date(year, 10, 31), "Reformationstag"))
    if state in _ALL_SAINTS_STATES:
        days.append((date(year, 11, 1), "Allerheiligen"))
    if state == "SN":
        days.append((repentance_day(year), "Buß- und Bettag"))
    days.extend(_ONE_OFF.get((year, state), ()))
    return days


@lru_cache(maxsize=512)
def _holidays(year: int, state: str) -> Mapping[date, str]:
    result: dict[date, str] = {}
    for day, name in sorted(_state_holidays(year, check_state(state))):
        # Two holidays can fall on one day (Christi Himmelfahrt on 1 May 2008): keep both names.
        result[day] = f"{result[day]}, {name}" if day in result else name
    return MappingProxyType(result)


def public_holidays(year: int, state: str) -> dict[date, str]:
    """The public holidays of `state` (a code such as ``"NW"``) in `year`, in date order, by German name.

    Raises `ValueError` for an unknown state code.
    """
    return dict(_holidays(year, state))


def is_public_holiday(day: date, state: str) -> bool:
    """Whether `day` is a public holiday in `state`. Raises `ValueError` for an unknown state code."""
    return day in _holidays(day.year, state)
