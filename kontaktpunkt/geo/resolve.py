"""Point -> place: which district, quarter and zones a point lies in, and what is near it.

Pure: the index is built from plain dataclasses (selectors.place_index() builds it from the database),
so that the resolver can be tested and benchmarked without Django. Internally everything is in metres
(EPSG:25832): polygons are prepared and kept in STRtrees; a query first takes the candidates whose
bounding box holds the point (STRtree.query, vectorised over all points), then tests them exactly with
the prepared polygons (shapely.intersects_xy, vectorised too). A point on a shared edge counts as
inside; of two districts it takes the first one in the index's order.

The resolver never raises for a point: outside the city, with no geodata, or with coordinates that are
no coordinates, it answers inside_city=False with a German message (asked for in German).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from kontaktpunkt.geo.geometry import from_geojson, lonlat_to_metric, to_metric

DISTRICT = "district"
QUARTER = "quarter"
NO_ID = -1
H3_RESOLUTION = 9
NEAREST_DEFAULT = 3
_NEAREST_SEARCH_RADII_M = (250.0, 1_000.0, 4_000.0, 16_000.0)

MSG_OUTSIDE_CITY = "Der Ort liegt außerhalb des Stadtgebiets."
MSG_NO_GEODATA = "Für das Stadtgebiet sind noch keine Geodaten eingerichtet."
MSG_INVALID_COORDINATES = "Die Koordinaten sind ungültig."

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class AreaData:
    id: int
    level: str
    name: str
    geometry: Mapping[str, Any]
    parent_id: int | None = None


@dataclass(frozen=True)
class ZoneData:
    id: int
    kind: str
    name: str
    geometry: Mapping[str, Any]


@dataclass(frozen=True)
class FacilityData:
    id: int
    kind: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class NearbyFacility:
    id: int
    kind: str
    name: str
    distance_m: float


@dataclass(frozen=True)
class Resolution:
    """Where a point lies. Outside the city only lat, lon, h3_cell and the message are set."""

    lat: float
    lon: float
    inside_city: bool
    message: str = ""
    district_id: int | None = None
    district_name: str = ""
    quarter_id: int | None = None
    quarter_name: str = ""
    zone_ids: tuple[int, ...] = ()
    zone_names: tuple[str, ...] = ()
    zone_kinds: tuple[str, ...] = ()
    nearest_facilities: tuple[NearbyFacility, ...] = ()
    h3_cell: str = ""


@dataclass(frozen=True, eq=False)
class BulkResolution:
    """Where many points lie. Ids are NO_ID (-1) where there is none.

    The zones of point i are zone_values[zone_offsets[i]:zone_offsets[i + 1]].
    """

    inside_city: NDArray[np.bool_]
    district_ids: IntArray
    quarter_ids: IntArray
    zone_offsets: IntArray
    zone_values: IntArray
    h3_cells: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.inside_city)

    def zone_ids(self, i: int) -> tuple[int, ...]:
        start, stop = self.zone_offsets[i], self.zone_offsets[i + 1]
        return tuple(int(v) for v in self.zone_values[start:stop])

    def zone_ids_per_point(self) -> list[tuple[int, ...]]:
        values = self.zone_values.tolist()
        offsets = self.zone_offsets.tolist()
        return [tuple(values[offsets[i] : offsets[i + 1]]) for i in range(len(self))]


class _Layer:
    """Polygons of one sort in metres, prepared, with an STRtree over them."""

    def __init__(
        self,
        ids: Sequence[int],
        names: Sequence[str],
        kinds: Sequence[str],
        geometries: Sequence[BaseGeometry],
    ) -> None:
        self.ids: IntArray = np.asarray(ids, dtype=np.int64)
        self.names = tuple(names)
        self.kinds = tuple(kinds)
        self.geometries: NDArray[np.object_] = np.asarray(geometries, dtype=object)
        shapely.prepare(self.geometries)
        self.tree = STRtree(self.geometries)

    def __len__(self) -> int:
        return len(self.ids)

    def hits(
        self, points: NDArray[np.object_], x: FloatArray, y: FloatArray
    ) -> tuple[IntArray, IntArray]:
        """(point index, layer index) of every point in a polygon, ordered by point, then layer."""
        if not len(self) or not len(points):
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        point_idx, layer_idx = self.tree.query(points)
        inside = shapely.intersects_xy(self.geometries[layer_idx], x[point_idx], y[point_idx])
        point_idx, layer_idx = point_idx[inside], layer_idx[inside]
        order = np.lexsort((layer_idx, point_idx))
        return point_idx[order].astype(np.int64), layer_idx[order].astype(np.int64)

    def first_ids(self, points: NDArray[np.object_], x: FloatArray, y: FloatArray) -> IntArray:
        """The id of the first polygon that holds each point, NO_ID where none does."""
        result = np.full(len(points), NO_ID, dtype=np.int64)
        point_idx, layer_idx = self.hits(points, x, y)
        if len(point_idx):
            unique, first = np.unique(point_idx, return_index=True)
            result[unique] = self.ids[layer_idx[first]]
        return result


def _layer(items: Sequence[AreaData] | Sequence[ZoneData]) -> _Layer:
    return _Layer(
        [item.id for item in items],
        [item.name for item in items],
        [item.kind if isinstance(item, ZoneData) else item.level for item in items],
        [to_metric(from_geojson(item.geometry)) for item in items],
    )


class PlaceIndex:
    """Boundary, districts, quarters, zones and facilities of one city, ready for point queries."""

    def __init__(
        self,
        *,
        boundary: Mapping[str, Any] | None,
        areas: Sequence[AreaData] = (),
        zones: Sequence[ZoneData] = (),
        facilities: Sequence[FacilityData] = (),
    ) -> None:
        self.boundary: BaseGeometry | None = None
        if boundary is not None:
            self.boundary = to_metric(from_geojson(boundary))
            shapely.prepare(self.boundary)
        self.districts = _layer([a for a in areas if a.level == DISTRICT])
        self.quarters = _layer([a for a in areas if a.level == QUARTER])
        self.zones = _layer(list(zones))
        self.facilities = tuple(facilities)
        x, y = lonlat_to_metric(
            np.asarray([f.lon for f in facilities], dtype=np.float64),
            np.asarray([f.lat for f in facilities], dtype=np.float64),
        )
        self._facility_points: NDArray[np.object_] = np.asarray(shapely.points(x, y))
        self._facility_tree = STRtree(self._facility_points)
        self._area_names = {a.id: a.name for a in areas}
        self._zone_by_id = {z.id: z for z in zones}

    def area_name(self, area_id: int) -> str:
        return self._area_names.get(area_id, "")

    def zone(self, zone_id: int) -> ZoneData:
        return self._zone_by_id[zone_id]

    def nearest_facilities(self, x: float, y: float, count: int) -> tuple[NearbyFacility, ...]:
        """The `count` facilities nearest to a point in metres, nearest first."""
        if count <= 0 or not self.facilities:
            return ()
        point = shapely.Point(x, y)
        candidates: IntArray = np.arange(len(self.facilities), dtype=np.int64)
        for radius in _NEAREST_SEARCH_RADII_M:
            found = self._facility_tree.query(point, predicate="dwithin", distance=radius)
            if len(found) >= count:
                candidates = np.asarray(found, dtype=np.int64)
                break
        distances = shapely.distance(self._facility_points[candidates], point)
        ids = np.asarray([self.facilities[i].id for i in candidates], dtype=np.int64)
        order = np.lexsort((ids, distances))[:count]
        return tuple(
            NearbyFacility(
                id=self.facilities[candidates[i]].id,
                kind=self.facilities[candidates[i]].kind,
                name=self.facilities[candidates[i]].name,
                distance_m=round(float(distances[i]), 1),
            )
            for i in order
        )


def _valid_mask(lats: FloatArray, lons: FloatArray) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        return np.isfinite(lats) & np.isfinite(lons) & (np.abs(lats) <= 90) & (np.abs(lons) <= 180)


def h3_cell(lat: float, lon: float) -> str:
    return str(h3.latlng_to_cell(lat, lon, H3_RESOLUTION))


def resolve_point(
    index: PlaceIndex, lat: float, lon: float, *, nearest: int = NEAREST_DEFAULT
) -> Resolution:
    """Where one point lies: district, quarter, zones, nearest facilities and h3 cell."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return Resolution(
            lat=math.nan, lon=math.nan, inside_city=False, message=MSG_INVALID_COORDINATES
        )
    lats, lons = np.asarray([lat]), np.asarray([lon])
    if not _valid_mask(lats, lons)[0]:
        return Resolution(lat=lat, lon=lon, inside_city=False, message=MSG_INVALID_COORDINATES)
    cell = h3_cell(lat, lon)
    if index.boundary is None:
        return Resolution(lat=lat, lon=lon, inside_city=False, message=MSG_NO_GEODATA, h3_cell=cell)
    bulk = resolve_many(index, lats, lons)
    if not bulk.inside_city[0]:
        return Resolution(
            lat=lat, lon=lon, inside_city=False, message=MSG_OUTSIDE_CITY, h3_cell=cell
        )
    district_id, quarter_id = int(bulk.district_ids[0]), int(bulk.quarter_ids[0])
    zones = [index.zone(zone_id) for zone_id in bulk.zone_ids(0)]
    x, y = lonlat_to_metric(lons, lats)
    return Resolution(
        lat=lat,
        lon=lon,
        inside_city=True,
        district_id=district_id if district_id != NO_ID else None,
        district_name=index.area_name(district_id),
        quarter_id=quarter_id if quarter_id != NO_ID else None,
        quarter_name=index.area_name(quarter_id),
        zone_ids=tuple(z.id for z in zones),
        zone_names=tuple(z.name for z in zones),
        zone_kinds=tuple(z.kind for z in zones),
        nearest_facilities=index.nearest_facilities(float(x[0]), float(y[0]), nearest),
        h3_cell=cell,
    )


def resolve_many(
    index: PlaceIndex, lats: ArrayLike, lons: ArrayLike, *, with_h3: bool = False
) -> BulkResolution:
    """Districts, quarters and zones of many points at once (numpy arrays of WGS84 degrees)."""
    lat_array = np.asarray(lats, dtype=np.float64).ravel()
    lon_array = np.asarray(lons, dtype=np.float64).ravel()
    if lat_array.shape != lon_array.shape:
        raise ValueError("lats and lons must have the same length")
    count = len(lat_array)
    inside = np.zeros(count, dtype=bool)
    valid = np.flatnonzero(_valid_mask(lat_array, lon_array))
    x, y = lonlat_to_metric(lon_array[valid], lat_array[valid])
    if index.boundary is not None and len(valid):
        inside[valid] = shapely.intersects_xy(index.boundary, x, y)
    chosen = np.flatnonzero(inside)
    x, y = x[inside[valid]], y[inside[valid]]
    points: NDArray[np.object_] = (
        np.asarray(shapely.points(x, y)) if len(chosen) else np.empty(0, dtype=object)
    )

    district_ids = np.full(count, NO_ID, dtype=np.int64)
    quarter_ids = np.full(count, NO_ID, dtype=np.int64)
    district_ids[chosen] = index.districts.first_ids(points, x, y)
    quarter_ids[chosen] = index.quarters.first_ids(points, x, y)
    point_idx, zone_idx = index.zones.hits(points, x, y)
    per_point = (
        np.bincount(chosen[point_idx], minlength=count)
        if len(point_idx)
        else np.zeros(count, dtype=np.int64)
    )
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(per_point, out=offsets[1:])
    cells: tuple[str, ...] = ()
    if with_h3:
        cells = tuple(
            h3_cell(float(la), float(lo)) if ok else ""
            for la, lo, ok in zip(
                lat_array, lon_array, _valid_mask(lat_array, lon_array), strict=True
            )
        )
    return BulkResolution(
        inside_city=inside,
        district_ids=district_ids,
        quarter_ids=quarter_ids,
        zone_offsets=offsets,
        zone_values=index.zones.ids[zone_idx],
        h3_cells=cells,
    )
