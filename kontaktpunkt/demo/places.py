"""Where demo concerns happen: around a city's hotspots, and elsewhere around its facilities.

Hotspots (a tenant's data, kontaktpunkt/demo/data/<tenant>.json) draw the categories they are known
for (the drug scene to the square where it meets, begging to the shopping street). Everything else is
spread around schools, kindergartens, playgrounds and youth centres, which are where people live, so
the districts get concerns roughly in proportion to their population. Each place gets a plausible
address: the street of the facility or hotspot and a house number.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kontaktpunkt.demo.patterns import FACILITY_AFFINITY, RESIDENTIAL_KINDS
from kontaktpunkt.demo.texts import PlaceRef

DATA_DIR = Path(__file__).resolve().parent / "data"
METRES_PER_DEGREE = 111_320.0
_ADDRESS = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s?[a-zA-Z]?)$")


@dataclass(frozen=True)
class Hotspot:
    key: str
    name: str
    lat: float
    lon: float
    radius_m: float
    share: float
    streets: tuple[tuple[str, int, int], ...]
    phrases: tuple[str, ...] = ()
    boosts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Anchor:
    """A facility to sample around: its kind, position and address."""

    kind: str
    lat: float
    lon: float
    street: str
    number: str = ""


@dataclass(frozen=True)
class SampledPlace:
    lat: float
    lon: float
    ref: PlaceRef
    hotspot: str = ""

    @property
    def address(self) -> str:
        return self.ref.address


def split_address(text: str) -> tuple[str, str]:
    """ "Dionysiusplatz 9 a" -> ("Dionysiusplatz", "9a"); a street without a number -> (street, "")."""
    text = " ".join(text.split())
    match = _ADDRESS.match(text)
    if not match:
        return text, ""
    return match.group("street").strip(), match.group("number").replace(" ", "")


def hotspots_load(tenant: str) -> list[Hotspot]:
    """The tenant's hotspots for the demo world; none when the tenant has no demo data."""
    path = DATA_DIR / f"{tenant}.json"
    if not path.is_file():
        return []
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return [
        Hotspot(
            key=row["key"],
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            radius_m=float(row["radius_m"]),
            share=float(row["share"]),
            streets=tuple((s[0], int(s[1]), int(s[2])) for s in row["streets"]),
            phrases=tuple(row.get("phrases", ())),
            boosts={k: float(v) for k, v in row.get("boosts", {}).items()},
        )
        for row in data["hotspots"]
    ]


def _offset(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (
        lat + north_m / METRES_PER_DEGREE,
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
    )


class PlaceSampler:
    """Samples a place for a concern of a given category."""

    def __init__(
        self,
        hotspots: Sequence[Hotspot],
        anchors: Sequence[Anchor],
        *,
        spread_m: float = 120.0,
    ) -> None:
        if not anchors and not hotspots:
            raise ValueError("Neither hotspots nor facilities: load the tenant's geography first.")
        self.hotspots = list(hotspots)
        self.anchors = list(anchors)
        self.spread_m = spread_m
        self.background_share = max(0.0, 1.0 - sum(h.share for h in hotspots))
        self._by_kind: dict[str, list[Anchor]] = {}
        for anchor in anchors:
            self._by_kind.setdefault(anchor.kind, []).append(anchor)
        self._weights: dict[str, list[float]] = {}
        self._pools: dict[str, list[Anchor]] = {}

    def _weights_for(self, category: str) -> list[float]:
        weights = self._weights.get(category)
        if weights is None:
            weights = [h.share * h.boosts.get(category, 1.0) for h in self.hotspots]
            weights.append(self.background_share if self.anchors else 0.0)
            self._weights[category] = weights
        return weights

    def _pool_for(self, category: str) -> list[Anchor]:
        pool = self._pools.get(category)
        if pool is None:
            for kinds in (FACILITY_AFFINITY.get(category, ()), RESIDENTIAL_KINDS):
                pool = [a for kind in kinds for a in self._by_kind.get(kind, [])]
                if pool:
                    break
            else:
                pool = self.anchors
            self._pools[category] = pool
        return pool

    def sample(self, rng: random.Random, category: str) -> SampledPlace:
        weights = self._weights_for(category)
        i = rng.choices(range(len(weights)), weights)[0]
        if i < len(self.hotspots):
            return self._at_hotspot(rng, self.hotspots[i])
        return self._around(rng, rng.choice(self._pool_for(category)))

    def _at_hotspot(self, rng: random.Random, hotspot: Hotspot) -> SampledPlace:
        distance = hotspot.radius_m * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        lat, lon = _offset(
            hotspot.lat, hotspot.lon, distance * math.cos(angle), distance * math.sin(angle)
        )
        street, low, high = rng.choice(hotspot.streets)
        number = str(rng.randint(low, high)) if high > 0 else ""
        ref = PlaceRef(street=street, number=number, phrases=hotspot.phrases)
        return SampledPlace(round(lat, 6), round(lon, 6), ref, hotspot.key)

    def _around(self, rng: random.Random, anchor: Anchor) -> SampledPlace:
        limit = 3 * self.spread_m
        east = max(-limit, min(limit, rng.gauss(0, self.spread_m)))
        north = max(-limit, min(limit, rng.gauss(0, self.spread_m)))
        lat, lon = _offset(anchor.lat, anchor.lon, east, north)
        digits = re.match(r"\d+", anchor.number)
        if digits:
            number = str(max(1, int(digits.group()) + rng.randint(-25, 25)))
        else:
            number = str(rng.randint(1, 120))
        return SampledPlace(round(lat, 6), round(lon, 6), PlaceRef(anchor.street, number))

    def near(self, rng: random.Random, place: SampledPlace, metres: float = 25.0) -> SampledPlace:
        """A point a few metres from `place`, with the same address (a second report of it)."""
        lat, lon = _offset(
            place.lat, place.lon, rng.uniform(-metres, metres), rng.uniform(-metres, metres)
        )
        return SampledPlace(round(lat, 6), round(lon, 6), place.ref, place.hotspot)
