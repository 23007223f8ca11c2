from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from kontaktpunkt.geo.validation import (
    MAX_ERRORS,
    geojson_areas_parse,
    geojson_load,
    geometry_check,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.55, 51.33], [6.56, 51.33], [6.56, 51.34], [6.55, 51.34], [6.55, 51.33]]],
}


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geometry=SQUARE, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def test_a_valid_collection_gives_its_areas_with_names_and_parents():
    areas = geojson_areas_parse(
        feature_collection=_collection(_feature(name="Mitte", bezirk="Mitte")),
        name_property="name",
        parent_property="bezirk",
    )

    assert [(a.position, a.name, a.parent_name) for a in areas] == [(1, "Mitte", "Mitte")]
    assert areas[0].geometry.geom_type == "Polygon"


@pytest.mark.parametrize(
    ("collection", "message"),
    [
        ([], "keine GeoJSON-FeatureCollection"),
        ({"type": "Feature"}, "keine GeoJSON-FeatureCollection"),
        (_collection(), "enthält keine Features"),
        (
            {**_collection(_feature(name="A")), "crs": {"properties": {"name": "EPSG:25832"}}},
            "Koordinatensystem EPSG:25832",
        ),
        (
            _collection(_feature({"type": "Point", "coordinates": [6.5, 51.3]}, name="A")),
            "kein Polygon",
        ),
        (_collection(_feature(None, name="A")), "kein Polygon"),
        (_collection(_feature(bezeichnung="A")), "„name“ fehlt oder ist leer"),
        (_collection(_feature(name="  ")), "„name“ fehlt oder ist leer"),
        (
            _collection(
                _feature(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [330000, 5689000],
                                [331000, 5689000],
                                [331000, 5690000],
                                [330000, 5689000],
                            ]
                        ],
                    },
                    name="A",
                )
            ),
            "außerhalb des WGS84-Bereichs",
        ),
        (
            _collection(_feature({"type": "Polygon", "coordinates": [[["a", 1]]]}, name="A")),
            "Koordinaten",
        ),
        (_collection(_feature(name="A"), _feature(name="a")), "„a“ kommt mehrfach vor"),
        (_collection("not a feature"), "kein GeoJSON-Feature"),
    ],
)
def test_bad_input_is_rejected_with_a_german_message(collection, message):
    with pytest.raises(ValidationError) as error:
        geojson_areas_parse(feature_collection=collection, name_property="name")

    assert message in _messages(error)


def test_a_missing_parent_property_is_reported():
    with pytest.raises(ValidationError) as error:
        geojson_areas_parse(
            feature_collection=_collection(_feature(name="Cracau")),
            name_property="name",
            parent_property="bezirk",
        )

    assert "„bezirk“ mit dem Namen des Stadtbezirks fehlt" in _messages(error)


def test_a_self_intersecting_polygon_is_repaired():
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[6.55, 51.33], [6.56, 51.34], [6.56, 51.33], [6.55, 51.34], [6.55, 51.33]]
        ],
    }

    (area,) = geojson_areas_parse(
        feature_collection=_collection(_feature(bowtie, name="A")), name_property="name"
    )

    assert area.geometry.is_valid
    assert area.geometry.area > 0


def test_many_errors_are_cut_to_a_readable_list():
    features = [_feature(None, name=f"A{i}") for i in range(25)]

    with pytest.raises(ValidationError) as error:
        geojson_areas_parse(feature_collection=_collection(*features), name_property="name")

    assert len(error.value.messages) == MAX_ERRORS + 1
    assert error.value.messages[-1] == "… und 15 weitere Fehler."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "kein gültiges JSON (Zeile 1, Spalte 2)"),
        (b"\xff\xfe", "nicht in UTF-8"),
    ],
)
def test_a_file_that_is_no_json_is_rejected_in_german(data, message):
    with pytest.raises(ValidationError) as error:
        geojson_load(data)

    assert message in _messages(error)


def test_a_json_file_with_a_byte_order_mark_is_read():
    assert geojson_load(b"\xef\xbb\xbf" + json.dumps(_collection()).encode()) == _collection()


def test_a_single_geometry_is_checked_for_the_admin_forms():
    assert geometry_check(SQUARE).area > 0
    with pytest.raises(ValidationError, match="kein GeoJSON-Polygon"):
        geometry_check({"type": "Point", "coordinates": [6.5, 51.3]})
    with pytest.raises(ValidationError, match="außerhalb des WGS84-Bereichs"):
        geometry_check(
            {"type": "Polygon", "coordinates": [[[600, 1], [601, 1], [601, 2], [600, 1]]]}
        )
