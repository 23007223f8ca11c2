from __future__ import annotations

import pytest

from kontaktpunkt.geo import selectors
from kontaktpunkt.geo.models import Area, Zone, ZoneKind
from kontaktpunkt.geo.resolve import resolve_point
from kontaktpunkt.geo.selectors import areas_of_level, place_index, place_index_invalidate

pytestmark = pytest.mark.django_db

THEATERPLATZ = (51.33283, 6.56262)
SQUARE_AT_THEATERPLATZ = {
    "type": "Polygon",
    "coordinates": [
        [[6.562, 51.3325], [6.5632, 51.3325], [6.5632, 51.3331], [6.562, 51.3331], [6.562, 51.3325]]
    ],
}


def test_the_index_of_the_imported_geodata_places_theaterplatz_in_mitte(krefeld):
    resolution = resolve_point(place_index(), *THEATERPLATZ)

    assert resolution.district_name == "Mitte"
    assert resolution.district_id == Area.objects.get(level="district", name="Mitte").pk
    assert Zone.objects.get(kind=ZoneKind.CITY_CENTRE_BAN).pk in resolution.zone_ids


def test_an_empty_database_gives_an_index_without_geodata(db):
    resolution = resolve_point(place_index(), *THEATERPLATZ)

    assert not resolution.inside_city
    assert resolution.message == "Für das Stadtgebiet sind noch keine Geodaten eingerichtet."


def test_the_index_is_kept_while_nothing_changes(krefeld, django_assert_max_num_queries):
    first = place_index()

    with django_assert_max_num_queries(3):
        assert place_index() is first


def test_a_new_zone_is_seen_without_explicit_invalidation(krefeld):
    first = place_index()

    zone = Zone.objects.create(
        kind=ZoneKind.OTHER, name="Neue Zone", geometry=SQUARE_AT_THEATERPLATZ
    )

    assert place_index() is not first
    assert zone.pk in resolve_point(place_index(), *THEATERPLATZ).zone_ids


def test_inactive_zones_are_left_out(krefeld):
    zone = Zone.objects.get(kind=ZoneKind.CITY_CENTRE_BAN)
    zone.active = False
    zone.save()

    assert zone.pk not in resolve_point(place_index(), *THEATERPLATZ).zone_ids


def test_an_edit_in_place_is_seen_after_invalidation(krefeld):
    first = place_index()
    Zone.objects.filter(kind=ZoneKind.HOTSPOT, name="Hotspot Theaterplatz").update(
        name="Hotspot Theater"
    )

    place_index_invalidate()

    assert place_index() is not first
    assert "Hotspot Theater" in resolve_point(place_index(), *THEATERPLATZ).zone_names


def test_the_index_is_rebuilt_after_its_maximum_age(krefeld, monkeypatch):
    first = place_index()
    monkeypatch.setattr(selectors._cache, "max_age_s", 0.0)

    assert place_index() is not first


def test_the_import_invalidates_the_index(krefeld, krefeld_directory):
    from kontaktpunkt.geo.services import geodata_import

    first = place_index()
    geodata_import(directory=krefeld_directory)

    assert place_index() is not first


def test_areas_of_a_level_come_with_their_parent_by_name(krefeld, django_assert_num_queries):
    with django_assert_num_queries(1):
        quarters = [
            (q.name, q.parent.name if q.parent else "") for q in areas_of_level(level="quarter")
        ]

    assert ("Cracau", "Mitte") in quarters
    assert [name for name, _ in quarters] == sorted(name for name, _ in quarters)
