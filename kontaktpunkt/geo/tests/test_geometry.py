from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from pyproj import Geod

from kontaktpunkt.geo.geometry import (
    circles,
    from_geojson,
    lonlat_to_metric,
    to_geojson,
    to_metric,
    to_wgs84,
    voronoi_partition,
)

GEOD = Geod(ellps="WGS84")


def test_a_circle_of_100_m_has_its_corners_100_m_from_the_centre_on_the_ground():
    (circle,) = circles([51.33283], [6.56262], radius_m=100)

    lons, lats = np.asarray(circle.exterior.coords).T
    _, _, distances = GEOD.inv(
        np.full(len(lons), 6.56262), np.full(len(lats), 51.33283), lons, lats
    )
    assert distances == pytest.approx(100.0, abs=0.1)


def test_no_points_give_no_circles():
    assert circles([], [], radius_m=100) == []


def test_geojson_out_has_lists_and_rounded_coordinates_that_survive_json():
    polygon = shapely.Polygon([(6.123456789, 51.1), (6.2, 51.1), (6.2, 51.2), (6.123456789, 51.1)])

    data = to_geojson(polygon)

    assert data["coordinates"][0][0] == [6.1234568, 51.1]
    assert json.loads(json.dumps(data)) == data
    assert from_geojson(data).equals_exact(polygon, tolerance=1e-6)


def test_metric_round_trip_keeps_a_point_within_a_millimetre():
    point = shapely.Point(6.56262, 51.33283)

    back = to_wgs84(to_metric(point))

    assert GEOD.inv(point.x, point.y, back.x, back.y)[2] < 0.001


def test_metres_are_utm_32n():
    x, y = lonlat_to_metric(np.array([9.0]), np.array([0.0]))

    assert (x[0], y[0]) == pytest.approx((500_000.0, 0.0))


def test_a_voronoi_partition_puts_every_point_in_its_label_without_overlap_or_gap():
    boundary = shapely.box(0, 0, 1000, 1000)
    x = np.array([100.0, 900.0, 500.0, 100.0, 100.0])
    y = np.array([100.0, 900.0, 500.0, 900.0, 900.0])  # the last is a duplicate
    labels = ["a", "b", "a", "c", "b"]

    parts = voronoi_partition(boundary=boundary, x=x, y=y, labels=labels)

    assert sorted(parts) == ["a", "b", "c"]
    assert parts["a"].contains(shapely.Point(100, 100))
    assert parts["a"].contains(shapely.Point(500, 500))
    assert parts["c"].contains(shapely.Point(100, 900))
    assert sum(p.area for p in parts.values()) == pytest.approx(boundary.area)
    assert shapely.union_all(list(parts.values())).area == pytest.approx(boundary.area)
