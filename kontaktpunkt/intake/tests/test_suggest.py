from __future__ import annotations

import pytest
from django.utils import translation

from kontaktpunkt.classify.places import PlaceFacts
from kontaktpunkt.classify.suggestion import PlaceContext
from kontaktpunkt.geo.resolve import NearbyFacility
from kontaktpunkt.intake import suggest
from kontaktpunkt.intake.models import Category
from kontaktpunkt.intake.suggest import (
    CategoryData,
    CategoryIndex,
    category_index,
    category_index_invalidate,
    category_suggestions,
    desk_suggestion,
    suggested_code,
)
from kontaktpunkt.testing.factories import CategoryFactory

pytestmark = pytest.mark.django_db

SYRINGES = "cleanliness-syringes"


@pytest.fixture(autouse=True)
def _fresh_index():
    category_index_invalidate()
    yield
    category_index_invalidate()


def codes(query, limit=5):
    return [s.code for s in category_suggestions(query=query, limit=limit)]


@pytest.mark.parametrize("query", ["spritze", "Spritzen", "nadeln", "fixerbesteck", "Kanüle"])
def test_words_for_syringes_suggest_syringes_first(query):
    assert codes(query)[0] == SYRINGES


@pytest.mark.parametrize("query", ["spritzn", "sprtize", "fixerbestek", "nadlen"])
def test_a_typo_still_suggests_syringes_first(query):
    assert codes(query)[0] == SYRINGES


def test_a_word_without_its_umlaut_finds_the_category():
    assert "cleanliness-litter" in codes("mull")


def test_the_name_of_a_category_finds_it():
    assert codes("Wilder Müll")[0] == "cleanliness-illegal-dumping"
    assert codes("graffiti")[0] == "cleanliness-graffiti"


def test_a_longer_word_that_begins_with_a_synonym_still_finds_the_category():
    assert codes("Spritzenfund")[0] == SYRINGES


def test_a_suggestion_names_its_field_in_german_and_the_word_that_matched():
    with translation.override("de"):
        (first,) = category_suggestions(query="fixerbesteck", limit=1)

    assert first.name == "Spritzen und Drogenabfall"
    assert first.field_label == "Sauberkeit"
    assert first.matched == "Fixerbesteck"
    assert first.category_id == Category.objects.get(code=SYRINGES).pk
    assert 0 < first.score <= 1


def test_an_exact_synonym_ranks_before_a_longer_one_that_starts_with_it():
    ranked = category_suggestions(query="spritze", limit=2)

    assert [s.code for s in ranked] == [SYRINGES, "security-drug-scene"]
    assert ranked[0].score > ranked[1].score


def test_an_inactive_category_is_not_suggested():
    Category.objects.filter(code=SYRINGES).update(active=False)

    assert SYRINGES not in codes("spritze")


def test_a_new_category_is_suggested_without_a_restart():
    category_index()
    CategoryFactory.create(name="Eichenprozessionsspinner", synonyms="Raupen, Brennhaare")

    assert category_suggestions(query="raupen", limit=1)[0].name == "Eichenprozessionsspinner"


def test_a_renamed_category_is_suggested_under_its_new_name():
    category_index()
    Category.objects.filter(code=SYRINGES).update(synonyms="Injektionsnadel")

    assert codes("injektionsnadel")[0] == SYRINGES


def test_too_short_a_query_suggests_nothing():
    assert category_suggestions(query="s", limit=5) == []
    assert category_suggestions(query="   ", limit=5) == []


def test_no_more_suggestions_than_asked_for_come_back():
    assert len(category_suggestions(query="müll", limit=2)) == 2


def test_the_index_is_kept_while_the_categories_do_not_change(django_assert_max_num_queries):
    first = category_index()

    with django_assert_max_num_queries(1):
        assert category_index() is first


def test_the_index_is_rebuilt_at_the_latest_after_its_maximum_age(monkeypatch):
    first = category_index()
    monkeypatch.setattr(suggest._cache, "max_age_s", 0.0)

    assert category_index() is not first


def test_the_ranking_works_without_the_database():
    index = CategoryIndex(
        [
            CategoryData(id=1, code="a", name="Lärm / Ruhestörung", field="order"),
            CategoryData(id=2, code="b", name="Autoposer", field="order", synonyms="Motorlärm"),
        ]
    )

    assert [s.code for s in index.suggest("ruhestoerung", 5)] == ["a"]
    assert index.suggest("laerm", 5)[0].code == "a"


# --- the classifier's proposal for the whole text


def test_the_proposal_offers_only_active_categories():
    Category.objects.filter(code=SYRINGES).update(active=False)

    found = desk_suggestion(text="Spritzen im Gebüsch am Spielplatz", lat=None, lon=None)

    assert found is not None and len(found.offers) == 3
    assert SYRINGES not in [offer.code for offer in found.offers]


def test_the_proposal_says_why_the_urgency_is_raised_and_what_is_near(monkeypatch):
    playground = NearbyFacility(id=1, kind="playground", name="Südwall", distance_m=38.0)
    facts = PlaceFacts(context=PlaceContext(near_playground=True), facilities=(playground,))
    monkeypatch.setattr(suggest, "place_facts", lambda **kwargs: facts)

    found = desk_suggestion(text="Da liegen drei gebrauchte Spritzen im Gebüsch", lat=51.3, lon=6.5)

    assert found is not None and found.best is not None and found.best.code == SYRINGES
    assert found.urgency == 4
    assert [(p.name, p.kind_label, p.distance_m) for p in found.near] == [
        ("Südwall", "Spielplatz", 40)
    ]
    with translation.override("en"):
        assert found.urgency_label == "urgent"
        assert "near a playground" in found.reason_labels


def test_a_text_without_words_gets_no_proposal():
    assert desk_suggestion(text=" .. ", lat=None, lon=None) is None
    assert suggested_code(text="!") == ""
