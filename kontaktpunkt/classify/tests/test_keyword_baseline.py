from __future__ import annotations

from kontaktpunkt.classify.keyword_baseline import keyword_baseline_build
from kontaktpunkt.classify.taxonomy import taxonomy_load


def _baseline():
    return keyword_baseline_build(taxonomy_load(), fallback="cleanliness-litter")


def test_a_synonym_in_the_text_picks_its_category():
    assert (
        _baseline().predict_one("Riesiges Schlagloch vor der Einfahrt") == "cleanliness-road-damage"
    )


def test_a_part_of_the_name_counts_as_a_term():
    assert _baseline().predict_one("Ampeln ausgefallen") == "cleanliness-traffic-lights"


def test_terms_match_inflected_words_and_any_case():
    assert _baseline().predict_one("GLASCONTAINERN") == "cleanliness-containers"


def test_a_longer_term_outweighs_a_shorter_one():
    # "Hund frei" (dogs off the leash) beats "Park" (parks); "Glascontainer" beats "Glas".
    assert _baseline().predict_one("Der Hund frei im Park") == "order-dogs-off-leash"
    assert _baseline().predict_one("Glascontainer voll") == "cleanliness-containers"


def test_a_text_without_any_term_gets_the_fallback():
    assert _baseline().predict_one("Der Bus kam heute zu spät") == "cleanliness-litter"


def test_predict_handles_many_texts():
    assert _baseline().predict(["Graffiti an der Wand", "xyz"]) == [
        "cleanliness-graffiti",
        "cleanliness-litter",
    ]
