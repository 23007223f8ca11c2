"""Place context for the urgency: which facilities where children are lie close to a point.

The local public-order regulation draws its protective zones 100 m around schools, youth centres,
playgrounds and kindergartens; the same distance decides whether a concern is "near" one. Distances
are the geo resolver's (geo.resolve.PlaceIndex.nearest_facilities, metres in EPSG:25832).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kontaktpunkt.classify.suggestion import PlaceContext
from kontaktpunkt.geo.geometry import lonlat_to_metric
from kontaktpunkt.geo.models import FacilityKind
from kontaktpunkt.geo.resolve import NearbyFacility, PlaceIndex
from kontaktpunkt.geo.selectors import place_index

NEAR_M = 100.0
_FIRST_ASK = 8
# The facility kinds that set a flag of PlaceContext, and the flag's name.
_FLAGS = {
    FacilityKind.PLAYGROUND: "near_playground",
    FacilityKind.SCHOOL: "near_school",
    FacilityKind.KINDERGARTEN: "near_kindergarten",
    FacilityKind.YOUTH_CENTRE: "near_youth_centre",
}


@dataclass(frozen=True)
class PlaceFacts:
    context: PlaceContext
    facilities: tuple[NearbyFacility, ...] = ()  # those that set a flag, nearest first


def facilities_within(
    index: PlaceIndex, *, lat: float, lon: float, radius_m: float
) -> tuple[NearbyFacility, ...]:
    """Every facility within `radius_m` of a point, nearest first."""
    x, y = lonlat_to_metric(
        np.asarray([lon], dtype=np.float64), np.asarray([lat], dtype=np.float64)
    )
    count = _FIRST_ASK
    while True:
        nearest = index.nearest_facilities(float(x[0]), float(y[0]), count)
        if len(nearest) < count or nearest[-1].distance_m > radius_m:
            return tuple(f for f in nearest if f.distance_m <= radius_m)
        count *= 2


def place_facts_of(
    index: PlaceIndex, *, lat: float, lon: float, radius_m: float = NEAR_M
) -> PlaceFacts:
    """The place context of a point from an index (pure: no database)."""
    near = [
        f for f in facilities_within(index, lat=lat, lon=lon, radius_m=radius_m) if f.kind in _FLAGS
    ]
    flags = {_FLAGS[FacilityKind(f.kind)]: True for f in near}
    return PlaceFacts(context=PlaceContext(**flags), facilities=tuple(near))


def place_facts(*, lat: float | None, lon: float | None) -> PlaceFacts:
    """The place context of a point, from the process's geography; none without a point."""
    if lat is None or lon is None:
        return PlaceFacts(context=PlaceContext())
    return place_facts_of(place_index(), lat=lat, lon=lon)
