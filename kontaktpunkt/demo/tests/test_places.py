"""Places of demo concerns (kontaktpunkt/demo/places.py)."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from kontaktpunkt.demo.places import Anchor, Hotspot, PlaceSampler, hotspots_load, split_address

SQUARE = Hotspot(
    key="square",
    name="Platz",
    lat=51.333,
    lon=6.563,
    radius_m=80,
    share=0.02,
    streets=(("Theaterplatz", 1, 5),),
    phrases=("am Theaterplatz",),
    boosts={"security-drug-scene": 40},
)
ANCHORS = [
    Anchor("kindergarten", 51.31, 6.56, "Märklinstraße", "2"),
    Anchor("playground", 51.35, 6.60, "Greiffenhorst"),
    Anchor("park", 51.354, 6.583, "Hüttenallee"),
]


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return math.hypot(
        (lat1 - lat2) * 111_320, (lon1 - lon2) * 111_320 * math.cos(math.radians(lat1))
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dionysiusplatz 9 a", ("Dionysiusplatz", "9a")),
        ("Märklinstraße 2", ("Märklinstraße", "2")),
        ("Greiffenhorst", ("Greiffenhorst", "")),
        ("Am Hauptbahnhof 5", ("Am Hauptbahnhof", "5")),
    ],
)
def test_an_address_is_split_into_street_and_number(text: str, expected: tuple[str, str]) -> None:
    assert split_address(text) == expected


def test_a_hotspot_draws_the_categories_it_is_known_for() -> None:
    sampler = PlaceSampler([SQUARE], ANCHORS)
    rng = random.Random(1)
    scene = Counter(sampler.sample(rng, "security-drug-scene").hotspot for _ in range(1000))
    lights = Counter(
        sampler.sample(rng, "cleanliness-street-lighting").hotspot for _ in range(1000)
    )
    assert scene["square"] > 300
    assert lights["square"] < 60


def test_hotspot_places_lie_within_its_radius_and_have_its_address() -> None:
    sampler = PlaceSampler([SQUARE], ANCHORS)
    rng = random.Random(2)
    for _ in range(200):
        place = sampler._at_hotspot(rng, SQUARE)
        assert _metres(place.lat, place.lon, SQUARE.lat, SQUARE.lon) <= SQUARE.radius_m + 1
        assert place.address.startswith("Theaterplatz ")


def test_places_away_from_hotspots_are_near_a_fitting_facility() -> None:
    sampler = PlaceSampler([], ANCHORS)
    rng = random.Random(3)
    for _ in range(100):
        place = sampler.sample(rng, "cleanliness-parks")
        assert place.ref.street == "Hüttenallee"
        assert _metres(place.lat, place.lon, 51.354, 6.583) < 400
        assert place.ref.number


def test_krefeld_has_hotspot_data_for_the_demo() -> None:
    keys = {h.key for h in hotspots_load("krefeld")}
    assert {"theaterplatz", "hauptbahnhof", "stadtgarten", "schwertstrasse"} <= keys
    assert hotspots_load("nowhere") == []
