from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kontaktpunkt.geo.models import Area, Zone, ZoneKind
from kontaktpunkt.geo.resolve import resolve_point
from kontaktpunkt.geo.selectors import place_index

pytestmark = pytest.mark.django_db

UPLOAD_URL = "admin:geo_area_upload_geojson"
DUESSELDORF_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.77, 51.22], [6.78, 51.22], [6.78, 51.23], [6.77, 51.23], [6.77, 51.22]]],
}


def _districts_file() -> SimpleUploadedFile:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"NAME": a.name}, "geometry": a.geometry}
            for a in Area.objects.filter(level=Area.Level.DISTRICT)
        ],
    }
    return SimpleUploadedFile(
        "bezirke.geojson", json.dumps(collection).encode(), "application/geo+json"
    )


def _post_upload(client, upload: SimpleUploadedFile, **data):
    return client.post(
        reverse(UPLOAD_URL), {"level": "district", "name_property": "NAME", "file": upload, **data}
    )


def _areas() -> list[tuple]:
    return list(Area.objects.order_by("id").values_list())


@pytest.mark.parametrize("model", ["area", "facility", "zone"])
def test_an_administrator_sees_the_lists_of_areas_facilities_and_zones(
    krefeld, admin_client, model
):
    response = admin_client.get(reverse(f"admin:geo_{model}_changelist"))

    assert response.status_code == 200


def test_the_area_list_links_to_the_geojson_upload(krefeld, admin_client):
    response = admin_client.get(reverse("admin:geo_area_changelist"))

    assert reverse(UPLOAD_URL).encode() in response.content


def test_the_upload_page_shows_the_form(admin_client):
    response = admin_client.get(reverse(UPLOAD_URL))

    assert response.status_code == 200
    assert b'name="file"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_an_upload_replaces_the_districts_and_says_how_many(krefeld, admin_client):
    response = _post_upload(admin_client, _districts_file())

    assert response.status_code == 302
    assert response.url == reverse("admin:geo_area_changelist")
    assert not Area.objects.filter(level=Area.Level.DISTRICT, approximate=True).exists()
    assert (
        Area.objects.filter(level=Area.Level.DISTRICT, source="GeoJSON: bezirke.geojson").count()
        == 9
    )
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert messages == ["9 Gebiete aus bezirke.geojson ersetzt."]


def test_a_bad_upload_shows_the_german_reason_and_keeps_the_areas(krefeld, admin_client):
    before = _areas()
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"NAME": "X"}, "geometry": DUESSELDORF_SQUARE}
        ],
    }

    response = _post_upload(
        admin_client, SimpleUploadedFile("x.geojson", json.dumps(collection).encode())
    )

    assert response.status_code == 200
    assert "Feature 1 („X“) liegt nicht im Stadtgebiet." in response.content.decode()
    assert _areas() == before


def test_a_file_that_is_no_json_is_refused_in_german(krefeld, admin_client):
    before = _areas()

    response = _post_upload(admin_client, SimpleUploadedFile("x.geojson", b"PK\x03\x04"))

    assert "Die Datei ist kein gültiges JSON" in response.content.decode()
    assert _areas() == before


def test_staff_without_permission_on_areas_may_not_upload(krefeld, client):
    staff = get_user_model().objects.create_user(username="staff", password="x", is_staff=True)
    client.force_login(staff)
    before = _areas()

    assert client.get(reverse(UPLOAD_URL)).status_code == 403
    assert _post_upload(client, _districts_file()).status_code == 403
    assert _areas() == before


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse(UPLOAD_URL))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_a_zone_edited_in_the_admin_is_seen_by_the_point_index(krefeld, admin_client):
    hotspot = Zone.objects.get(name="Hotspot Theaterplatz")
    assert hotspot.pk in resolve_point(place_index(), 51.33283, 6.56262).zone_ids

    response = admin_client.post(
        reverse("admin:geo_zone_change", args=[hotspot.pk]),
        {
            "kind": ZoneKind.HOTSPOT,
            "name": hotspot.name,
            "geometry": json.dumps(DUESSELDORF_SQUARE),
            "facility": "",
            "radius_m": "",
            "description": "",
            "active": "on",
        },
    )

    assert response.status_code == 302
    assert hotspot.pk not in resolve_point(place_index(), 51.33283, 6.56262).zone_ids


def test_a_zone_geometry_that_is_no_polygon_is_refused_in_german(krefeld, admin_client):
    hotspot = Zone.objects.get(name="Hotspot Theaterplatz")

    response = admin_client.post(
        reverse("admin:geo_zone_change", args=[hotspot.pk]),
        {
            "kind": ZoneKind.HOTSPOT,
            "name": hotspot.name,
            "geometry": '{"type": "Point", "coordinates": [6.5, 51.3]}',
            "active": "on",
        },
    )

    assert response.status_code == 200
    assert "Die Geometrie ist kein GeoJSON-Polygon oder -MultiPolygon." in response.content.decode()
    assert Zone.objects.get(pk=hotspot.pk).geometry == hotspot.geometry
