from __future__ import annotations

import re

import h3
import pytest
from django.urls import reverse

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.cases.views import map as map_views
from kontaktpunkt.geo.gazetteer import gazetteer_invalidate
from kontaktpunkt.geo.services import geodata_import
from kontaktpunkt.geo.sources import tenant_geodata_directory
from kontaktpunkt.intake.models import Field, Status
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

MAP = reverse("cases:map")
DATA = reverse("cases:map_data")
THEATERPLATZ = (51.33283, 6.56262)
AROUND_THEATERPLATZ = "6.55,51.32,6.58,51.34"


@pytest.fixture(autouse=True)
def _fresh_gazetteer():
    gazetteer_invalidate()
    yield
    gazetteer_invalidate()


@pytest.fixture
def kod_kind():
    return CategoryFactory.create(default_unit=Unit.objects.get(slug="kod"), field=Field.ORDER)


@pytest.fixture
def officer(client, kod_officer):
    client.force_login(kod_officer)
    return client


def at(point, **kwargs):
    lat, lon = point
    return ConcernFactory.create(lat=lat, lon=lon, **kwargs)


def references(response):
    return {f["properties"]["reference"] for f in response.json()["features"]}


def test_the_map_page_shows_leaflet_and_the_city_from_local_files_only(officer):
    geodata_import(directory=tenant_geodata_directory("krefeld"))

    response = officer.get(MAP)
    html = response.content.decode()

    assert response.status_code == 200
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet-markercluster/leaflet.markercluster.js" in html
    assert f'data-url="{DATA}"' in html
    assert '<script id="map-backdrop" type="application/json">{"city": {"type": "' in html


def test_the_map_page_includes_no_external_urls(officer):
    geodata_import(directory=tenant_geodata_directory("krefeld"))

    html = officer.get(MAP).content.decode()

    assert not re.findall(r"""(?:src|href|url)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.findall(r"https?://", html)


def test_a_configured_tile_url_is_handed_to_the_map(officer, settings):
    settings.KP_MAP_TILE_URL = "/tiles/{z}/{x}/{y}.png"

    assert 'data-tile-url="/tiles/{z}/{x}/{y}.png"' in officer.get(MAP).content.decode()


def test_the_map_sends_an_anonymous_visitor_to_sign_in(client):
    assert client.get(MAP)["Location"].startswith(reverse("login"))
    assert client.get(DATA)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["analyst", "dpo", "admin"])
def test_who_has_no_queue_gets_403_on_the_map(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(MAP).status_code == 403
    assert client.get(DATA).status_code == 403


def test_the_map_data_are_geojson_of_the_open_concerns_the_person_may_see(officer, kod_kind):
    visible = at(THEATERPLATZ, category=kod_kind, address="Theaterplatz")
    at(THEATERPLATZ, category=kod_kind, status=Status.CLOSED)
    at(THEATERPLATZ, category=kod_kind, status=Status.DUPLICATE)
    at(
        THEATERPLATZ,
        category=CategoryFactory.create(default_unit=Unit.objects.get(slug="street-cleaning")),
    )
    ConcernFactory.create(category=kod_kind)  # no point

    response = officer.get(DATA)
    data = response.json()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data["type"] == "FeatureCollection"
    assert data["aggregated"] is False and data["total"] == 1
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.56262, 51.33283]}
    properties = feature["properties"]
    assert properties["reference"] == visible.reference
    assert properties["url"] == reverse("cases:detail", args=[visible.reference])
    assert properties["status"] == "new" and properties["status_label"] == "neu"
    assert properties["category"] == kod_kind.name and properties["field"] == "order"
    assert properties["address"] == "Theaterplatz"


def test_a_person_who_sees_all_concerns_sees_them_all_on_the_map(client, desk_clerk, kod_kind):
    client.force_login(desk_clerk)
    cleaning = CategoryFactory.create(default_unit=Unit.objects.get(slug="street-cleaning"))
    first, second = at(THEATERPLATZ, category=kod_kind), at(THEATERPLATZ, category=cleaning)

    assert references(client.get(DATA)) == {first.reference, second.reference}


def test_the_map_data_respect_the_bounding_box(officer, kod_kind):
    inside = at(THEATERPLATZ, category=kod_kind)
    at((51.36, 6.63), category=kod_kind)  # Uerdingen

    assert references(officer.get(DATA, {"bbox": AROUND_THEATERPLATZ})) == {inside.reference}


def test_the_map_data_can_be_filtered_by_category_and_field(officer, kod_kind):
    other = CategoryFactory.create(default_unit=Unit.objects.get(slug="kod"), field=Field.SECURITY)
    order = at(THEATERPLATZ, category=kod_kind)
    security = at(THEATERPLATZ, category=other)

    assert references(officer.get(DATA, {"category": kod_kind.pk})) == {order.reference}
    assert references(officer.get(DATA, {"field": "security"})) == {security.reference}


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "6.6,51.3,6.5,51.4", "0,-91,1,1"])
def test_a_malformed_bounding_box_is_refused(officer, bbox):
    response = officer.get(DATA, {"bbox": bbox})

    assert response.status_code == 400
    assert "bbox" in response.json()["errors"]


def test_beyond_the_limit_concerns_are_counted_per_hexagon_cell(officer, kod_kind, monkeypatch):
    monkeypatch.setattr(map_views, "MAX_FEATURES", 2)
    cell = h3.latlng_to_cell(*THEATERPLATZ, 9)
    for _ in range(3):
        at(THEATERPLATZ, category=kod_kind, h3_cell=cell)
    at((51.36, 6.63), category=kod_kind)  # no h3 cell stored: computed from the point

    data = officer.get(DATA).json()

    assert data["aggregated"] is True
    assert data["total"] == 4 and data["limit"] == 2
    counts = {f["properties"]["cell"]: f["properties"]["count"] for f in data["features"]}
    assert counts[cell] == 3
    assert sum(counts.values()) == 4
    assert "Wabe" in data["note"]


def test_too_many_cells_are_merged_into_coarser_ones(officer, kod_kind, monkeypatch):
    monkeypatch.setattr(map_views, "MAX_FEATURES", 1)
    monkeypatch.setattr(map_views, "MAX_CELLS", 1)
    at(THEATERPLATZ, category=kod_kind)
    at((THEATERPLATZ[0] + 0.01, THEATERPLATZ[1]), category=kod_kind)

    data = officer.get(DATA).json()

    assert len(data["features"]) == 1
    assert data["features"][0]["properties"]["count"] == 2
    assert data["resolution"] < 9
