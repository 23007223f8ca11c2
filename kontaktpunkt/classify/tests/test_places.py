from __future__ import annotations

import math

from kontaktpunkt.classify.places import place_facts_of
from kontaktpunkt.classify.suggestion import PlaceContext
from kontaktpunkt.geo.resolve import FacilityData, PlaceIndex

SPOT = (51.3273, 6.5620)


def moved(north_m: float = 0.0, east_m: float = 0.0) -> tuple[float, float]:
    lat, lon = SPOT
    return lat + north_m / 111_320, lon + east_m / (111_320 * math.cos(math.radians(lat)))


def index(*facilities: tuple[str, str, float]) -> PlaceIndex:
    """Facilities of (kind, name, metres north of the spot)."""
    return PlaceIndex(
        boundary=None,
        facilities=[
            FacilityData(id=i, kind=kind, name=name, lat=moved(north)[0], lon=moved(north)[1])
            for i, (kind, name, north) in enumerate(facilities, start=1)
        ],
    )


def test_a_playground_40_m_away_makes_the_place_near_a_playground():
    facts = place_facts_of(index(("playground", "Südwall", 40)), lat=SPOT[0], lon=SPOT[1])

    assert facts.context == PlaceContext(near_playground=True)
    assert [(f.name, round(f.distance_m)) for f in facts.facilities] == [("Südwall", 40)]


def test_a_school_150_m_away_is_not_near():
    facts = place_facts_of(index(("school", "Schule", 150)), lat=SPOT[0], lon=SPOT[1])

    assert facts.context == PlaceContext()
    assert facts.facilities == ()


def test_other_facilities_nearer_do_not_hide_a_kindergarten_within_100_m():
    others = [("place", f"Platz {i}", 5 + i) for i in range(20)]
    facts = place_facts_of(
        index(*others, ("kindergarten", "Kita", 90), ("youth_centre", "Jugendhaus", 60)),
        lat=SPOT[0],
        lon=SPOT[1],
    )

    assert facts.context == PlaceContext(near_kindergarten=True, near_youth_centre=True)
    assert [f.name for f in facts.facilities] == ["Jugendhaus", "Kita"]


def test_without_facilities_nothing_is_near():
    assert place_facts_of(index(), lat=SPOT[0], lon=SPOT[1]).context == PlaceContext()
