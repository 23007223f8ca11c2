from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from kontaktpunkt.geo.geometry import to_metric
from kontaktpunkt.geo.sources import (
    GeodataError,
    PlaceSpec,
    ZoneSpec,
    area_slug,
    geodata_plan,
    places_read,
    tenant_geodata_directory,
)

NINE_DISTRICTS = [
    "Fischeln",
    "Hüls",
    "Mitte",
    "Nord",
    "Oppum-Linn",
    "Ost",
    "Süd",
    "Uerdingen",
    "West",
]


def _points(*features):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
            for lon, lat, props in features
        ],
    }


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def other_city(tmp_path: Path) -> Path:
    """A second city: a square boundary, two labelled points, one school and one hand-set zone."""
    _write(
        tmp_path / "grenze.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[7.0, 50.0], [7.1, 50.0], [7.1, 50.1], [7.0, 50.1], [7.0, 50.0]]
                        ],
                    },
                }
            ],
        },
    )
    _write(
        tmp_path / "punkte.geojson",
        _points(
            (7.02, 50.05, {"bezirk": "W", "teil": "W1"}),
            (7.08, 50.05, {"bezirk": "O", "teil": "O1"}),
        ),
    )
    _write(
        tmp_path / "schulen.geojson",
        _points((7.05, 50.05, {"name": "Schule", "strasse": "Weg 1", "plz": 12345})),
    )
    _write(
        tmp_path / "manifest.json",
        {
            "source": "Musterstadt",
            "boundary": {"file": "grenze.geojson", "name": "Musterstadt"},
            "properties": {"name": "name", "street": "strasse", "postcode": "plz"},
            "facilities": [{"file": "schulen.geojson", "kind": "school"}],
            "ban_zones": {"kinds": ["school"], "radius_m": 50, "name": "Zone {facility}"},
            "areas": {
                "file": "punkte.geojson",
                "district_property": "bezirk",
                "quarter_property": "teil",
                "districts": {"W": "Westen", "O": "Osten"},
            },
        },
    )
    _write(
        tmp_path / "places.json",
        {
            "places": [
                {"key": "markt", "kind": "place", "name": "Markt", "lat": 50.05, "lon": 7.05}
            ],
            "zones": [{"kind": "hotspot", "name": "Markt", "around": "markt", "radius_m": 80}],
        },
    )
    return tmp_path


def test_the_tenant_folder_follows_the_setting(settings):
    settings.KP_TENANT = "krefeld"

    assert tenant_geodata_directory() == tenant_geodata_directory("krefeld")
    assert (tenant_geodata_directory() / "manifest.json").is_file()
    assert (tenant_geodata_directory() / "ATTRIBUTION.md").is_file()


def test_krefeld_has_nine_approximate_districts_inside_the_city(krefeld_plan):
    assert [d.name for d in krefeld_plan.districts] == NINE_DISTRICTS
    assert all(d.approximate and d.source for d in krefeld_plan.districts)
    assert {d.parent_slug for d in krefeld_plan.districts} == {"krefeld"}
    assert krefeld_plan.city.name == "Krefeld"
    assert not krefeld_plan.city.approximate


def test_krefeld_quarters_lie_in_their_districts(krefeld_plan):
    districts = {d.slug: to_metric(shape(d.geometry)) for d in krefeld_plan.districts}

    for quarter in krefeld_plan.quarters:
        district = districts[quarter.parent_slug]
        geometry = to_metric(shape(quarter.geometry))
        assert geometry.difference(district).area < 1.0, quarter.name
    assert {"Cracau", "Bockum", "Linn", "Uerdingen", "Forstwald"} <= {
        q.name for q in krefeld_plan.quarters
    }


def test_a_quarter_name_in_two_districts_is_told_apart_by_the_district(krefeld_plan):
    names = {q.name for q in krefeld_plan.quarters}

    assert {"Stadtmitte (Mitte)", "Stadtmitte (West)"} <= names
    assert len({q.slug for q in krefeld_plan.quarters}) == len(krefeld_plan.quarters)


def test_krefeld_districts_do_not_overlap_and_cover_the_boundary(krefeld_plan):
    boundary = to_metric(shape(krefeld_plan.city.geometry))
    districts = [to_metric(shape(d.geometry)) for d in krefeld_plan.districts]

    total = sum(d.area for d in districts)
    union = shapely.union_all(districts)
    assert total == pytest.approx(boundary.area, rel=1e-4)
    assert union.area == pytest.approx(boundary.area, rel=1e-4)
    assert total - union.area < 1e-5 * boundary.area  # overlaps, if any, are rounding noise
    assert union.symmetric_difference(boundary).area < 1e-4 * boundary.area


def test_krefeld_facilities_of_every_kind_have_names_streets_and_postcodes(krefeld_plan):
    kinds = {f.kind for f in krefeld_plan.facilities}
    schools = [f for f in krefeld_plan.facilities if f.kind == "school"]

    assert kinds == {
        "school", "kindergarten", "playground", "youth_centre", "police_station",
        "administration", "park", "place", "help_facility",
    }  # fmt: skip
    assert len(schools) == 78
    assert all(f.name and f.postcode.isdigit() for f in schools)
    assert len({f.key for f in krefeld_plan.facilities}) == len(krefeld_plan.facilities)


def test_every_school_kindergarten_playground_and_youth_centre_has_a_100_m_ban_zone(krefeld_plan):
    banned = {
        f.key
        for f in krefeld_plan.facilities
        if f.kind in {"school", "kindergarten", "playground", "youth_centre"}
    }
    zones = [z for z in krefeld_plan.zones if z.kind == "ban_zone"]

    assert {z.facility_key for z in zones} == banned
    assert {z.radius_m for z in zones} == {100}


def test_the_city_centre_zone_holds_theaterplatz_and_königstraße_but_not_schwertstraße(
    krefeld_plan,
):
    places = {
        f.source_id: shapely.Point(f.lon, f.lat)
        for f in krefeld_plan.facilities
        if f.kind in {"place", "help_facility"}
    }
    (centre,) = [shape(z.geometry) for z in krefeld_plan.zones if z.kind == "city_centre_ban"]
    hotspots = {z.name: shape(z.geometry) for z in krefeld_plan.zones if z.kind == "hotspot"}

    assert centre.contains(places["theaterplatz"])
    assert centre.contains(places["kontaktpunkt-city"])
    assert not centre.contains(places["drogenhilfe-schwertstrasse"])
    assert hotspots["Hotspot Theaterplatz"].contains(places["theaterplatz"])
    assert hotspots["Hotspot Schwertstraße (Drogenhilfe)"].contains(
        places["drogenhilfe-schwertstrasse"]
    )


def test_the_places_file_names_the_four_places_of_the_city(krefeld_directory):
    places, zones, source = places_read(directory=krefeld_directory)

    assert {p.street for p in places} == {
        "Theaterplatz",
        "Königstraße 114",
        "Schwertstraße 80",
        "Ostwall 175",
    }
    assert {z.kind for z in zones} == {"city_centre_ban", "hotspot"}
    assert source


def test_a_second_city_works_with_its_own_files(other_city):
    plan = geodata_plan(directory=other_city)

    assert plan.city.slug == "musterstadt"
    assert [d.name for d in plan.districts] == ["Osten", "Westen"]
    assert sorted(q.name for q in plan.quarters) == ["O1", "W1"]
    (school, market) = plan.facilities
    assert (school.name, school.street, school.postcode) == ("Schule", "Weg 1", "12345")
    assert market.source_id == "markt"
    assert [z.name for z in plan.zones] == ["Zone Schule", "Markt"]
    assert plan.zones[0].radius_m == 50


def test_places_and_zones_given_by_the_caller_replace_the_file(other_city):
    plan = geodata_plan(
        directory=other_city,
        places=[
            PlaceSpec(key="bahnhof", kind="help_facility", name="Bahnhof", lat=50.01, lon=7.01)
        ],
        zones=[ZoneSpec(kind="hotspot", name="Bahnhof", around="bahnhof", radius_m=60)],
    )

    assert [f.name for f in plan.facilities] == ["Schule", "Bahnhof"]
    assert [z.name for z in plan.zones] == ["Zone Schule", "Bahnhof"]


def test_a_quarterless_point_takes_the_quarter_of_its_nearest_neighbour(other_city):
    _write(
        other_city / "punkte.geojson",
        _points(
            (7.02, 50.05, {"bezirk": "W", "teil": "W1"}),
            (7.03, 50.05, {"bezirk": "W"}),
            (7.08, 50.05, {"bezirk": "O"}),
        ),
    )

    plan = geodata_plan(directory=other_city)

    assert sorted(q.name for q in plan.quarters) == ["Osten", "W1"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m["facilities"].append({"file": "schulen.geojson", "kind": "castle"}),
            "unknown kind",
        ),
        (lambda m: m["areas"]["districts"].pop("O"), "district label 'O'"),
        (lambda m: m["boundary"].update(file="fehlt.geojson"), "missing"),
        (lambda m: m["ban_zones"].pop("radius_m"), "radius_m"),
    ],
)
def test_a_broken_manifest_is_reported(other_city, change, message):
    manifest = json.loads((other_city / "manifest.json").read_text())
    change(manifest)
    _write(other_city / "manifest.json", manifest)

    with pytest.raises(GeodataError, match=message):
        geodata_plan(directory=other_city)


def test_a_zone_around_an_unknown_place_is_reported(other_city):
    with pytest.raises(GeodataError, match="no place 'rathaus'"):
        geodata_plan(
            directory=other_city,
            zones=[ZoneSpec(kind="hotspot", name="X", around="rathaus", radius_m=50)],
        )


def test_a_folder_without_manifest_is_reported(tmp_path):
    with pytest.raises(GeodataError, match=r"manifest\.json is missing"):
        geodata_plan(directory=tmp_path)


def test_a_folder_without_places_file_has_no_places(other_city, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(other_city, copy, ignore=shutil.ignore_patterns("places.json", "copy"))

    plan = geodata_plan(directory=copy)

    assert [f.name for f in plan.facilities] == ["Schule"]


def test_area_slugs_spell_out_german_letters():
    assert area_slug("Dießem-Lehmheide") == "diessem-lehmheide"
    assert area_slug("Hüls") == "huels"
