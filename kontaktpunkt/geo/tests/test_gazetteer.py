from __future__ import annotations

import pytest

from kontaktpunkt.geo import gazetteer as gazetteer_module
from kontaktpunkt.geo.gazetteer import (
    Gazetteer,
    GazetteerSource,
    HitKind,
    edit_distance,
    fold,
    fold_address,
    gazetteer,
    gazetteer_invalidate,
    gazetteer_nearest,
    gazetteer_search,
    map_backdrop,
    split_house_number,
)
from kontaktpunkt.geo.models import Facility, FacilityKind

KONTAKTPUNKT_CITY = (51.33355, 6.56175)
THEATERPLATZ = (51.33283, 6.56262)


@pytest.fixture(autouse=True)
def _fresh_gazetteer():
    gazetteer_invalidate()
    yield
    gazetteer_invalidate()


@pytest.fixture(scope="module")
def krefeld_gazetteer(krefeld_plan) -> Gazetteer:
    """The gazetteer of the real Krefeld geodata, without the database."""
    return Gazetteer(
        GazetteerSource(f.kind, f.name, f.street, f.postcode, f.lat, f.lon)
        for f in krefeld_plan.facilities
    )


def labels(hits):
    return [hit.label for hit in hits]


def test_a_known_address_is_found_at_its_own_point(krefeld_gazetteer):
    first = krefeld_gazetteer.search("Königstraße 114", 5)[0]

    assert first.label == "Königstraße 114"
    assert first.kind == HitKind.ADDRESS
    assert (first.lat, first.lon) == KONTAKTPUNKT_CITY
    assert not first.approximate


@pytest.mark.parametrize("query", ["königstr", "Königstr.", "koenigstrasse", "KÖNIGSTRASSE"])
def test_an_abbreviated_or_spelt_out_street_name_finds_the_street(krefeld_gazetteer, query):
    first = krefeld_gazetteer.search(query, 5)[0]

    assert first.label == "Königstraße"
    assert first.kind == HitKind.STREET


@pytest.mark.parametrize("query", ["Schwertstrasse 80", "Schwertstraße 80", "schwertstr 80"])
def test_strasse_and_strasse_with_sharp_s_are_the_same_street(krefeld_gazetteer, query):
    assert labels(krefeld_gazetteer.search(query, 3))[0] == "Schwertstraße 80"


def test_a_named_place_is_found_by_its_name_once(krefeld_gazetteer):
    hits = krefeld_gazetteer.search("Theaterplatz", 5)

    assert hits[0].label == "Theaterplatz"
    assert hits[0].kind == HitKind.PLACE
    assert (hits[0].lat, hits[0].lon) == THEATERPLATZ
    assert labels(hits).count("Theaterplatz") == 1


def test_a_school_is_found_by_its_name_with_its_address(krefeld_gazetteer):
    first = krefeld_gazetteer.search("Mariannenschule", 5)[0]

    assert first.label == "Mariannenschule, Mariannenstraße 29"
    assert first.kind == HitKind.FACILITY
    assert first.detail == "Schule"


def test_a_word_inside_a_facility_name_finds_it(krefeld_gazetteer):
    assert "Fichte-Gymnasium, Lindenstraße 52" in labels(krefeld_gazetteer.search("gymnasium", 30))


def test_an_unknown_house_number_resolves_to_the_streets_point_and_says_so(krefeld_gazetteer):
    street = krefeld_gazetteer.search("Königstraße", 1)[0]
    hit = krefeld_gazetteer.search("Königstraße 7", 5)[0]

    assert hit.label == "Königstraße 7"
    assert hit.approximate
    assert (hit.lat, hit.lon) == (street.lat, street.lon)
    assert hit.detail == "Hausnummer unbekannt: Lage der Straße"


def test_a_number_being_typed_offers_the_known_numbers_that_start_with_it(krefeld_gazetteer):
    assert "Königstraße 114" in labels(krefeld_gazetteer.search("Königstraße 11", 5))


def test_a_house_number_with_a_letter_is_kept_as_one_number():
    assert split_house_number("Burgstraße 7a") == ("Burgstraße", "7a")
    assert split_house_number("Burgstraße 7 A") == ("Burgstraße", "7a")
    assert split_house_number("Lutherische-Kirch-Straße 63 - 69") == (
        "Lutherische-Kirch-Straße",
        "63",
    )
    assert split_house_number("Greiffenhorst") == ("Greiffenhorst", "")


@pytest.mark.parametrize("query", ["Königstrase", "konigstrasse", "Köngistraße"])
def test_a_typo_still_finds_the_street(krefeld_gazetteer, query):
    assert "Königstraße" in labels(krefeld_gazetteer.search(query, 5))


def test_a_single_letter_is_too_little_to_search(krefeld_gazetteer):
    assert krefeld_gazetteer.search("K", 5) == []
    assert krefeld_gazetteer.search("  ", 5) == []


def test_no_more_hits_than_asked_for_come_back(krefeld_gazetteer):
    assert len(krefeld_gazetteer.search("Spielplatz", 7)) == 7


def test_an_exact_match_ranks_before_a_prefix_match(krefeld_gazetteer):
    hits = krefeld_gazetteer.search("Ostwall", 5)

    assert hits[0].label == "Ostwall"
    assert hits[0].score == 1.0
    assert all(hit.score < 1.0 for hit in hits[1:])


def test_the_nearest_known_address_is_offered_for_a_point(krefeld_gazetteer):
    near = krefeld_gazetteer.nearest(51.33356, 6.56180, within_m=100)

    assert near is not None
    assert near.label in {"Königstraße 114", "Kontaktpunkt City"}
    assert krefeld_gazetteer.nearest(0.0, 0.0, within_m=100) is None


def test_folding_spells_out_umlauts_and_drops_punctuation():
    assert fold("Dießem-Lehmheide") == "diessem lehmheide"
    assert fold("  Über  Äcker; Öfen ") == "ueber aecker oefen"
    assert fold_address("Königstr. 114") == "koenigstrasse 114"
    assert fold_address("Hülser Str 5") == "huelser strasse 5"
    assert fold_address("Strassenbahn") == "strassenbahn"


def test_the_edit_distance_counts_a_swap_of_neighbours_once():
    assert edit_distance("spritze", "spritze", 2) == 0
    assert edit_distance("spritzn", "spritze", 2) == 1
    assert edit_distance("sprtize", "spritze", 2) == 1
    assert edit_distance("abc", "xyzuvw", 2) == 3


@pytest.mark.django_db
def test_the_search_works_on_the_imported_geodata(krefeld):
    hits = gazetteer_search(query="Königstraße 114", limit=3)

    assert hits[0].label == "Königstraße 114"
    assert gazetteer_nearest(lat=KONTAKTPUNKT_CITY[0], lon=KONTAKTPUNKT_CITY[1]) is not None


@pytest.mark.django_db
def test_the_gazetteer_is_built_once_and_kept_while_nothing_changes(
    krefeld, django_assert_max_num_queries
):
    first = gazetteer()

    with django_assert_max_num_queries(2):
        assert gazetteer() is first


@pytest.mark.django_db
def test_a_new_facility_is_found_without_a_restart(krefeld):
    gazetteer()
    Facility.objects.create(
        kind=FacilityKind.PLAYGROUND, name="Spielplatz Zwergenwiese", lat=51.34, lon=6.57
    )

    assert gazetteer_search(query="Zwergenwiese", limit=1)[0].label == "Spielplatz Zwergenwiese"


@pytest.mark.django_db
def test_the_gazetteer_is_rebuilt_at_the_latest_after_its_maximum_age(krefeld, monkeypatch):
    first = gazetteer()
    monkeypatch.setattr(gazetteer_module._cache, "max_age_s", 0.0)

    assert gazetteer() is not first


@pytest.mark.django_db
def test_the_map_backdrop_holds_the_city_the_districts_and_landmarks(krefeld):
    backdrop = map_backdrop()

    assert backdrop["city"]["type"] in {"Polygon", "MultiPolygon"}
    assert {d["name"] for d in backdrop["districts"]} >= {"Mitte", "Uerdingen", "Hüls"}
    assert [51.33283, 6.56262, "Theaterplatz", "place"] in backdrop["landmarks"]


@pytest.mark.django_db
def test_without_geodata_the_search_finds_nothing_and_the_backdrop_is_empty():
    assert gazetteer_search(query="Königstraße", limit=5) == []
    assert map_backdrop() == {"city": None, "districts": [], "landmarks": []}
