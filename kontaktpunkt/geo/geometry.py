"""Geometry helpers without the database: GeoJSON in and out, WGS84 <-> metres, circles, partitions.

Geometries are stored as GeoJSON in WGS84 (longitude, latitude). Distances and buffers are computed in
ETRS89 / UTM zone 32N (EPSG:25832), whose unit is the metre and which covers Germany west of 12° E.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:25832"
# Seven decimals of a degree are about a centimetre: enough for stored coordinates, and rounding
# makes a second import write exactly the same numbers as the first.
COORDINATE_DECIMALS = 7

_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)

FloatArray = NDArray[np.float64]


def lonlat_to_metric(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Project WGS84 longitudes and latitudes to metres (EPSG:25832), vectorised."""
    x, y = _TO_METRIC.transform(lons, lats)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def metric_to_lonlat(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    lons, lats = _TO_WGS84.transform(x, y)
    return np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)


def _transform_to_metric(coords: FloatArray) -> FloatArray:
    x, y = lonlat_to_metric(coords[:, 0], coords[:, 1])
    return np.column_stack((x, y))


def _transform_to_wgs84(coords: FloatArray) -> FloatArray:
    lons, lats = metric_to_lonlat(coords[:, 0], coords[:, 1])
    return np.column_stack((lons, lats))


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS84 geometry in metres (EPSG:25832)."""
    return shapely.transform(geometry, _transform_to_metric)


def to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry in metres (EPSG:25832) back in WGS84 longitude/latitude."""
    return shapely.transform(geometry, _transform_to_wgs84)


def from_geojson(data: Mapping[str, Any]) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry object."""
    return shape(dict(data))


def _as_lists(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    return value


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry object with lists (as JSON gives them back) and rounded coordinates."""
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": _as_lists(data["coordinates"])}


def circles_metric(x: FloatArray, y: FloatArray, *, radius_m: float) -> NDArray[np.object_]:
    """Circles (32-gons) of `radius_m` metres around points given in metres."""
    return np.asarray(shapely.buffer(shapely.points(x, y), radius_m, quad_segs=8))


def circles(lats: Sequence[float], lons: Sequence[float], *, radius_m: float) -> list[BaseGeometry]:
    """Circles of `radius_m` metres around WGS84 points, as WGS84 polygons (buffered in metres)."""
    if not lats:
        return []
    x, y = lonlat_to_metric(np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64))
    return [to_wgs84(circle) for circle in circles_metric(x, y, radius_m=radius_m)]


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (a clip can leave lines or points on shared edges)."""
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    polygons = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in {"Polygon", "MultiPolygon"} and not part.is_empty
    ]
    return shapely.union_all(polygons) if polygons else shapely.Polygon()


def voronoi_partition(
    *, boundary: BaseGeometry, x: FloatArray, y: FloatArray, labels: Sequence[str]
) -> dict[str, BaseGeometry]:
    """Split `boundary` (metres) among labelled points: Voronoi cells, clipped, dissolved by label.

    Every point lies in the part of its own label; the parts do not overlap and together cover the
    boundary. Points with the same coordinates keep the first label.
    """
    seen: dict[tuple[float, float], int] = {}
    for i, key in enumerate(zip(x.tolist(), y.tolist(), strict=True)):
        seen.setdefault(key, i)
    keep = np.fromiter(sorted(seen.values()), dtype=np.int64)
    points = shapely.multipoints(np.column_stack((x[keep], y[keep])))
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=boundary, ordered=True))
    clipped = shapely.intersection(cells, boundary)
    by_label: defaultdict[str, list[BaseGeometry]] = defaultdict(list)
    for index, cell in zip(keep.tolist(), clipped, strict=True):
        by_label[labels[index]].append(cell)
    return {
        label: polygonal_part(shapely.union_all(parts)) for label, parts in sorted(by_label.items())
    }
