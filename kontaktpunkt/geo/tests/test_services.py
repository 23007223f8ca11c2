from __future__ import annotations

import json
import shutil

import pytest
from django.core.exceptions import ValidationError
from shapely.geometry import shape

from kontaktpunkt.geo.models import Area, Facility, FacilityKind, Zone, ZoneKind
from kontaktpunkt.geo.services import areas_replace_from_geojson, geodata_import
from kontaktpunkt.geo.sources import PlaceSpec, ZoneSpec

pytestmark = pytest.mark.django_db

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


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "areas": list(Area.objects.order_by("id").values_list()),
        "facilities": list(Facility.objects.order_by("id").values_list()),
        "zones": list(Zone.objects.order_by("id").values_list()),
    }


def _parent_name(area: Area) -> str:
    return area.parent.name if area.parent else ""


def _official(level: str, **names_to_geometries) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": name}, "geometry": geometry}
            for name, geometry in names_to_geometries.items()
        ],
    }


def _districts_as_upload(*, rename: dict[str, str] | None = None) -> dict:
    """The current districts as an 'official' FeatureCollection (optionally renamed)."""
    rename = rename or {}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": rename.get(a.name, a.name)},
                "geometry": a.geometry,
            }
            for a in Area.objects.filter(level=Area.Level.DISTRICT)
        ],
    }


def test_the_import_writes_boundary_districts_quarters_facilities_and_zones(krefeld):
    city = Area.objects.get(level=Area.Level.CITY)
    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    quarters = Area.objects.filter(level=Area.Level.QUARTER)

    assert (city.name, city.approximate) == ("Krefeld", False)
    assert sorted(d.name for d in districts) == NINE_DISTRICTS
    assert all(d.approximate and d.source and d.parent_id == city.pk for d in districts)
    assert quarters.count() == 22
    assert all(
        q.parent and q.parent.level == Area.Level.DISTRICT and q.approximate for q in quarters
    )
    assert set(Facility.objects.values_list("kind", flat=True)) == set(FacilityKind.values)
    assert krefeld.areas == 1 + 9 + 22


def test_every_facility_with_a_ban_rule_has_one_100_m_zone(krefeld):
    banned = Facility.objects.filter(
        kind__in=["school", "kindergarten", "playground", "youth_centre"]
    )
    zones = Zone.objects.filter(kind=ZoneKind.BAN_ZONE)

    assert zones.count() == banned.count() == 78 + 104 + 203 + 25
    assert set(zones.values_list("facility_id", flat=True)) == set(
        banned.values_list("id", flat=True)
    )
    assert set(zones.values_list("radius_m", flat=True)) == {100}


def test_the_named_places_the_city_centre_zone_and_the_hotspots_are_there(krefeld):
    places = Facility.objects.filter(kind__in=[FacilityKind.PLACE, FacilityKind.HELP_FACILITY])
    centre = Zone.objects.get(kind=ZoneKind.CITY_CENTRE_BAN)

    assert sorted(places.values_list("street", flat=True)) == [
        "Königstraße 114", "Ostwall 175", "Schwertstraße 80", "Theaterplatz",
    ]  # fmt: skip
    assert centre.approximate
    assert Zone.objects.filter(kind=ZoneKind.HOTSPOT).count() == 2


def test_the_import_is_idempotent(krefeld, krefeld_directory):
    before = _snapshot()

    summary = geodata_import(directory=krefeld_directory)

    assert _snapshot() == before
    assert (summary.created, summary.updated, summary.deleted) == (0, 0, 0)


def test_a_second_import_keeps_ids_and_the_admins_active_switch(krefeld, krefeld_directory):
    zone = Zone.objects.filter(kind=ZoneKind.BAN_ZONE).earliest("id")
    zone.active = False
    zone.save()
    district = Area.objects.get(level=Area.Level.DISTRICT, name="Mitte")

    geodata_import(directory=krefeld_directory)

    assert not Zone.objects.get(pk=zone.pk).active
    assert Area.objects.get(level=Area.Level.DISTRICT, name="Mitte").pk == district.pk


def test_a_facility_gone_from_the_files_goes_with_its_ban_zone(
    krefeld, krefeld_directory, tmp_path
):
    folder = tmp_path / "geodata"
    shutil.copytree(krefeld_directory, folder)
    data = json.loads((folder / "playgrounds.json").read_text(encoding="utf-8"))
    gone = data["features"].pop(0)["properties"]["title"]
    (folder / "playgrounds.json").write_text(json.dumps(data), encoding="utf-8")

    summary = geodata_import(directory=folder)

    assert not Facility.objects.filter(kind="playground", name=gone).exists()
    assert not Zone.objects.filter(name=f"100-m-Zone: {gone}").exists()
    assert summary.deleted == 2  # the facility and its zone
    assert summary.created == summary.updated == 0


def test_places_and_zones_can_be_given_by_the_caller(krefeld, krefeld_directory):
    geodata_import(
        directory=krefeld_directory,
        places=[PlaceSpec(key="hbf", kind="place", name="Hauptbahnhof", lat=51.3266, lon=6.5700)],
        zones=[ZoneSpec(kind="hotspot", name="Hotspot Hauptbahnhof", around="hbf", radius_m=120)],
    )

    assert list(
        Facility.objects.filter(kind__in=["place", "help_facility"]).values_list("name", flat=True)
    ) == ["Hauptbahnhof"]
    assert Zone.objects.filter(name="Hotspot Hauptbahnhof", radius_m=120).exists()
    assert Zone.objects.filter(
        name="Hotspot Theaterplatz"
    ).exists()  # zones set once are not deleted


def test_uploaded_official_districts_replace_the_approximate_ones_and_keep_ids(krefeld):
    mitte = Area.objects.get(level=Area.Level.DISTRICT, name="Mitte")
    quarters = Area.objects.filter(level=Area.Level.QUARTER).count()

    count = areas_replace_from_geojson(
        level=Area.Level.DISTRICT, feature_collection=_districts_as_upload(), name_property="name"
    )

    districts = Area.objects.filter(level=Area.Level.DISTRICT)
    assert count == 9
    assert not districts.filter(approximate=True).exists()
    assert districts.get(name="Mitte").pk == mitte.pk
    assert Area.objects.filter(level=Area.Level.QUARTER).count() == quarters


def test_quarters_of_a_removed_district_move_to_the_district_they_overlap_most(krefeld):
    cracau = Area.objects.get(level=Area.Level.QUARTER, name="Cracau")

    areas_replace_from_geojson(
        level=Area.Level.DISTRICT,
        feature_collection=_districts_as_upload(rename={"Mitte": "Krefeld-Mitte"}),
        name_property="name",
    )

    assert _parent_name(Area.objects.get(pk=cracau.pk)) == "Krefeld-Mitte"
    assert not Area.objects.filter(level=Area.Level.DISTRICT, name="Mitte").exists()


def test_a_later_import_keeps_the_official_districts(krefeld, krefeld_directory):
    areas_replace_from_geojson(
        level=Area.Level.DISTRICT,
        feature_collection=_districts_as_upload(rename={"Mitte": "Krefeld-Mitte"}),
        name_property="name",
    )
    before = list(Area.objects.filter(level=Area.Level.DISTRICT).order_by("id").values_list())

    summary = geodata_import(directory=krefeld_directory)

    assert (
        list(Area.objects.filter(level=Area.Level.DISTRICT).order_by("id").values_list()) == before
    )
    assert summary.kept_levels == ["district"]
    cracau = Area.objects.get(level=Area.Level.QUARTER, name="Cracau")
    assert _parent_name(cracau) == "Krefeld-Mitte"


def test_uploaded_quarters_are_nested_in_the_district_named_by_the_parent_property(krefeld):
    mitte = Area.objects.get(level=Area.Level.DISTRICT, name="Mitte")
    cracau = Area.objects.get(level=Area.Level.QUARTER, name="Cracau")
    upload = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"NAME": "Cracau", "BEZIRK": "mitte"},
                "geometry": cracau.geometry,
            }
        ],
    }

    count = areas_replace_from_geojson(
        level=Area.Level.QUARTER,
        feature_collection=upload,
        name_property="NAME",
        parent_property="BEZIRK",
    )

    (quarter,) = Area.objects.filter(level=Area.Level.QUARTER)
    assert count == 1
    assert (quarter.pk, quarter.parent_id, quarter.approximate) == (cracau.pk, mitte.pk, False)


def test_uploaded_quarters_without_parent_property_go_to_the_district_they_overlap_most(krefeld):
    linn = Area.objects.get(level=Area.Level.QUARTER, name="Linn")
    upload = _official(Area.Level.QUARTER, Linn=linn.geometry)

    areas_replace_from_geojson(
        level=Area.Level.QUARTER, feature_collection=upload, name_property="name"
    )

    assert _parent_name(Area.objects.get(level=Area.Level.QUARTER, name="Linn")) == "Oppum-Linn"


def _shifted_square(lon: float, lat: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
        ],
    }


@pytest.mark.parametrize(
    ("level", "upload", "parent_property", "message"),
    [
        ("district", {"type": "Feature"}, None, "keine GeoJSON-FeatureCollection"),
        (
            "district",
            _official("district", A={"type": "Point", "coordinates": [6.56, 51.33]}),
            None,
            "kein Polygon",
        ),
        (
            "district",
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": _shifted_square(6.56, 51.33)}
                ],
            },
            None,
            "„name“ fehlt",
        ),
        (
            "district",
            _official("district", A=_shifted_square(330000, 5689000)),
            None,
            "außerhalb des WGS84-Bereichs",
        ),
        (
            "district",
            _official("district", A=_shifted_square(51.33, 6.56)),
            None,
            "liegt nicht im Stadtgebiet",
        ),
        (
            "quarter",
            _official("quarter", A=_shifted_square(6.56, 51.33)),
            "BEZIRK",
            "„BEZIRK“ mit dem Namen",
        ),
        (
            "city",
            _official("city", A=_shifted_square(6.56, 51.33)),
            None,
            "nur Stadtbezirke oder Stadtteile",
        ),
        (
            "district",
            _official(
                "district",
                Hüls=_shifted_square(6.56, 51.33),
                Huels=_shifted_square(6.57, 51.33),
            ),
            None,
            "„Huels“ kommt mehrfach vor",
        ),
    ],
)
def test_a_bad_upload_is_rejected_in_german_and_keeps_the_areas(
    krefeld, level, upload, parent_property, message
):
    before = _snapshot()

    with pytest.raises(ValidationError) as error:
        areas_replace_from_geojson(
            level=level,
            feature_collection=upload,
            name_property="name",
            parent_property=parent_property,
        )

    assert message in " ".join(error.value.messages)
    assert _snapshot() == before


def test_an_unknown_district_of_an_uploaded_quarter_is_rejected(krefeld):
    upload = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "X", "bezirk": "Atlantis"},
                "geometry": _shifted_square(6.56, 51.33),
            }
        ],
    }

    with pytest.raises(ValidationError, match="Der Stadtbezirk „Atlantis“ ist nicht bekannt"):
        areas_replace_from_geojson(
            level=Area.Level.QUARTER,
            feature_collection=upload,
            name_property="name",
            parent_property="bezirk",
        )


def test_an_upload_before_any_import_asks_for_the_import_first(db):
    with pytest.raises(ValidationError, match="zuerst die Geodaten importieren"):
        areas_replace_from_geojson(
            level=Area.Level.DISTRICT,
            feature_collection=_official("district", A=_shifted_square(6.56, 51.33)),
            name_property="name",
        )


def test_an_uploaded_geometry_is_stored_in_wgs84_as_given(krefeld):
    square = _shifted_square(6.56, 51.33)

    areas_replace_from_geojson(
        level=Area.Level.DISTRICT,
        feature_collection=_official("district", Mitte=square),
        name_property="name",
    )

    stored = Area.objects.get(level=Area.Level.DISTRICT, name="Mitte").geometry
    assert shape(stored).equals_exact(shape(square), tolerance=1e-7)
    assert stored["type"] == "Polygon"
