from __future__ import annotations

import json
import math
from pathlib import Path

import h3
import numpy as np
import pytest
from pyproj import Geod

from kontaktpunkt.geo.resolve import (
    MSG_INVALID_COORDINATES,
    MSG_NO_GEODATA,
    MSG_OUTSIDE_CITY,
    NO_ID,
    PlaceIndex,
    resolve_many,
    resolve_point,
)
from kontaktpunkt.geo.sources import GeodataPlan

GEOD = Geod(ellps="WGS84")
THEATERPLATZ = (51.33283, 6.56262)
DUESSELDORF = (51.2277, 6.7735)
BAN_ZONE_KINDS = {"school", "kindergarten", "playground", "youth_centre"}


def _district_id(index: PlaceIndex, name: str) -> int:
    return next(
        int(i) for i, n in zip(index.districts.ids, index.districts.names, strict=True) if n == name
    )


def _quiet_playground(plan: GeodataPlan) -> tuple[str, float, float, float]:
    """A playground and a direction in which the point 150 m away is > 110 m from every
    school, kindergarten, playground and youth centre (so in no ban zone), measured geodesically."""
    banned = [f for f in plan.facilities if f.kind in BAN_ZONE_KINDS]
    lons = np.array([f.lon for f in banned])
    lats = np.array([f.lat for f in banned])
    for playground in sorted((f for f in banned if f.kind == "playground"), key=lambda f: f.name):
        for azimuth in (0.0, 90.0, 180.0, 270.0):
            lon, lat, _ = GEOD.fwd(playground.lon, playground.lat, azimuth, 150.0)
            _, _, distances = GEOD.inv(
                np.full(len(banned), lon), np.full(len(banned), lat), lons, lats
            )
            if np.min(distances) > 110:
                return playground.name, playground.lat, playground.lon, azimuth
    raise AssertionError("no playground with a quiet point 150 m away")


def test_theaterplatz_lies_in_district_mitte_and_in_the_city_centre_ban_zone(krefeld_index):
    resolution = resolve_point(krefeld_index, *THEATERPLATZ)

    assert resolution.inside_city
    assert resolution.district_name == "Mitte"
    assert "city_centre_ban" in resolution.zone_kinds
    assert resolution.message == ""


def test_a_point_50_m_from_a_playground_is_in_its_ban_zone_and_150_m_away_in_none(
    krefeld_plan, krefeld_index
):
    name, lat, lon, azimuth = _quiet_playground(krefeld_plan)
    zone_name = f"100-m-Zone: {name}"
    near_lon, near_lat, _ = GEOD.fwd(lon, lat, azimuth, 50.0)
    far_lon, far_lat, _ = GEOD.fwd(lon, lat, azimuth, 150.0)

    near = resolve_point(krefeld_index, near_lat, near_lon)
    far = resolve_point(krefeld_index, far_lat, far_lon)

    assert zone_name in near.zone_names
    assert zone_name not in far.zone_names
    assert "ban_zone" not in far.zone_kinds
    assert far.inside_city


@pytest.mark.parametrize("distance_m", [95.0, 99.0])
def test_a_ban_zone_reaches_close_to_100_m(krefeld_plan, krefeld_index, distance_m):
    name, lat, lon, azimuth = _quiet_playground(krefeld_plan)
    point_lon, point_lat, _ = GEOD.fwd(lon, lat, azimuth, distance_m)

    assert f"100-m-Zone: {name}" in resolve_point(krefeld_index, point_lat, point_lon).zone_names


def test_a_point_in_duesseldorf_answers_outside_the_city_with_a_german_message(krefeld_index):
    resolution = resolve_point(krefeld_index, *DUESSELDORF)

    assert not resolution.inside_city
    assert resolution.message == MSG_OUTSIDE_CITY == "Der Ort liegt außerhalb des Stadtgebiets."
    assert resolution.district_id is None
    assert resolution.zone_ids == ()
    assert resolution.nearest_facilities == ()


@pytest.mark.parametrize(
    ("lat", "lon"), [(math.nan, 6.56), (91.0, 6.56), (51.33, 181.0), (math.inf, 6.56), ("x", 6.56)]
)
def test_coordinates_that_are_no_coordinates_answer_invalid_without_an_error(
    krefeld_index, lat, lon
):
    resolution = resolve_point(krefeld_index, lat, lon)

    assert not resolution.inside_city
    assert resolution.message == MSG_INVALID_COORDINATES


def test_an_index_without_geodata_answers_that_none_is_set_up():
    resolution = resolve_point(PlaceIndex(boundary=None), *THEATERPLATZ)

    assert not resolution.inside_city
    assert resolution.message == MSG_NO_GEODATA


def test_every_kindergarten_resolves_to_its_own_labelled_district(
    krefeld_directory: Path, krefeld_index
):
    manifest = json.loads((krefeld_directory / "manifest.json").read_text(encoding="utf-8"))
    names = manifest["areas"]["districts"]
    features = json.loads((krefeld_directory / "kindergartens.json").read_text(encoding="utf-8"))
    labelled = [f for f in features["features"] if f["properties"].get("cat1")]
    lons = np.array([f["geometry"]["coordinates"][0] for f in labelled])
    lats = np.array([f["geometry"]["coordinates"][1] for f in labelled])

    result = resolve_many(krefeld_index, lats, lons)

    expected = [_district_id(krefeld_index, names[f["properties"]["cat1"]]) for f in labelled]
    assert len(labelled) == 104
    assert result.district_ids.tolist() == expected


def test_nearest_facilities_come_nearest_first_with_kind_name_and_metres(krefeld_index):
    resolution = resolve_point(krefeld_index, *THEATERPLATZ)

    nearest = resolution.nearest_facilities
    assert len(nearest) == 3
    assert (nearest[0].kind, nearest[0].name) == ("place", "Theaterplatz")
    assert nearest[0].distance_m < 1
    assert [n.distance_m for n in nearest] == sorted(n.distance_m for n in nearest)
    assert all(n.distance_m < 500 for n in nearest)


def test_nearest_facilities_are_the_truly_nearest_ones(krefeld_plan, krefeld_index):
    lat, lon = 51.3700, 6.5200  # Hüls, where facilities are sparse
    facilities = krefeld_plan.facilities
    _, _, distances = GEOD.inv(
        np.full(len(facilities), lon),
        np.full(len(facilities), lat),
        [f.lon for f in facilities],
        [f.lat for f in facilities],
    )
    expected = [facilities[i].name for i in np.argsort(distances)[:5]]

    nearest = resolve_point(krefeld_index, lat, lon, nearest=5).nearest_facilities

    assert [n.name for n in nearest] == expected
    assert nearest[0].distance_m == pytest.approx(float(np.min(distances)), abs=1.0)


def test_the_h3_cell_is_of_resolution_9_and_holds_the_point(krefeld_index):
    resolution = resolve_point(krefeld_index, *THEATERPLATZ)

    assert h3.get_resolution(resolution.h3_cell) == 9
    assert h3.latlng_to_cell(*THEATERPLATZ, 9) == resolution.h3_cell


def test_resolve_many_agrees_with_resolve_point(krefeld_plan, krefeld_index):
    rng = np.random.default_rng(7)
    lats = rng.uniform(51.28, 51.41, 400)
    lons = rng.uniform(6.46, 6.70, 400)

    bulk = resolve_many(krefeld_index, lats, lons, with_h3=True)

    for i, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
        one = resolve_point(krefeld_index, lat, lon)
        assert bool(bulk.inside_city[i]) == one.inside_city
        assert (int(bulk.district_ids[i]), int(bulk.quarter_ids[i])) == (
            one.district_id or NO_ID,
            one.quarter_id or NO_ID,
        )
        assert bulk.zone_ids(i) == one.zone_ids
        assert bulk.h3_cells[i] == one.h3_cell
    assert 0 < bulk.inside_city.sum() < len(lats)


def test_resolve_many_gives_every_point_inside_a_district_and_a_quarter(krefeld_index):
    rng = np.random.default_rng(11)
    lats = rng.uniform(51.28, 51.41, 5000)
    lons = rng.uniform(6.46, 6.70, 5000)

    bulk = resolve_many(krefeld_index, lats, lons)

    inside = bulk.inside_city
    assert (bulk.district_ids[inside] != NO_ID).all()
    assert (bulk.quarter_ids[inside] != NO_ID).all()
    assert (bulk.district_ids[~inside] == NO_ID).all()
    assert bulk.zone_ids_per_point() == [bulk.zone_ids(i) for i in range(len(bulk))]


def test_resolve_many_marks_outside_and_invalid_points_without_an_error(krefeld_index):
    lats = np.array([THEATERPLATZ[0], DUESSELDORF[0], np.nan, 95.0])
    lons = np.array([THEATERPLATZ[1], DUESSELDORF[1], 6.5, 6.5])

    bulk = resolve_many(krefeld_index, lats, lons, with_h3=True)

    assert bulk.inside_city.tolist() == [True, False, False, False]
    assert bulk.district_ids[1:].tolist() == [NO_ID] * 3
    assert [bulk.zone_ids(i) for i in (1, 2, 3)] == [(), (), ()]
    assert bulk.h3_cells[2] == ""


def test_resolve_many_of_no_points_is_empty(krefeld_index):
    bulk = resolve_many(krefeld_index, np.array([]), np.array([]))

    assert len(bulk) == 0
    assert bulk.zone_ids_per_point() == []
