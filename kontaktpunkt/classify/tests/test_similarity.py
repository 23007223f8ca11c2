from __future__ import annotations

import pytest

from kontaktpunkt.classify.similarity import (
    cosine,
    grams,
    similarity_model,
    similarity_model_fit,
    text_similarity,
)


def test_grams_are_three_to_five_letters_within_words_of_the_normalised_text():
    assert grams("Öl!") == [" oe", "oel", "el ", " oel", "oel ", " oel "]
    assert grams("AB") == grams("ab") == [" ab", "ab ", " ab "]


def test_the_same_text_is_fully_similar_and_an_unrelated_one_hardly():
    same = "Spritzen am Spielplatz Südwall"

    assert text_similarity(same, same) == pytest.approx(1.0)
    assert text_similarity(same, "Laute Musik aus der Wohnung nebenan") < 0.1


def test_two_reports_of_the_same_thing_in_other_words_are_alike():
    first = "Auf dem Spielplatz am Südwall liegen gebrauchte Spritzen im Sandkasten."
    second = "spritzen spielplatz suedwall, sandkasten!!"
    other = "Auf dem Spielplatz am Südwall ist die Schaukel kaputt."

    assert text_similarity(first, second) > text_similarity(first, other)


def test_words_every_report_uses_weigh_less_than_rare_ones():
    model = similarity_model()

    assert model.idf[" bitt"] < model.idf["sprit"] < model.unseen_idf


def test_an_empty_text_has_no_vector():
    model = similarity_model_fit(["a b c", "Müll"])

    assert model.vector("  ") == {}
    assert cosine({}, model.vector("Müll")) == 0.0
