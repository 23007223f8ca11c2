from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from kontaktpunkt.geo.forms import AreaGeoJSONUploadForm, ZoneAdminForm

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.55, 51.33], [6.56, 51.33], [6.56, 51.34], [6.55, 51.34], [6.55, 51.33]]],
}


def _upload_form(content: bytes, **data) -> AreaGeoJSONUploadForm:
    return AreaGeoJSONUploadForm(
        {"level": "district", "name_property": "name", **data},
        MultiValueDict(
            {"file": [SimpleUploadedFile("bezirke.geojson", content, "application/geo+json")]}
        ),
    )


def test_the_upload_form_reads_the_file_as_json():
    collection = {"type": "FeatureCollection", "features": []}
    form = _upload_form(json.dumps(collection).encode())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["feature_collection"] == collection


def test_the_upload_form_rejects_a_file_that_is_no_json_in_german():
    form = _upload_form(b"<kml></kml>")

    assert not form.is_valid()
    assert form.errors["file"] == ["Die Datei ist kein gültiges JSON (Zeile 1, Spalte 1)."]


def test_the_upload_form_offers_only_districts_and_quarters():
    form = _upload_form(b"{}", level="city")

    assert not form.is_valid()
    assert "level" in form.errors


def test_the_zone_form_rejects_a_geometry_that_is_no_polygon_in_german():
    form = ZoneAdminForm(
        {
            "kind": "other",
            "name": "Z",
            "geometry": json.dumps({"type": "Point", "coordinates": [6.5, 51.3]}),
            "active": True,
        }
    )

    assert not form.is_valid()
    assert form.errors["geometry"] == ["Die Geometrie ist kein GeoJSON-Polygon oder -MultiPolygon."]


def test_the_zone_form_stores_a_valid_polygon_with_rounded_coordinates():
    form = ZoneAdminForm(
        {"kind": "other", "name": "Z", "geometry": json.dumps(SQUARE), "active": True}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["geometry"] == SQUARE
