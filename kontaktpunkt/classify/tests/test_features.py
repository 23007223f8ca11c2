from __future__ import annotations

import numpy as np

from kontaktpunkt.classify.corpus import corpus_load
from kontaktpunkt.classify.features import char_ngrams, features_fit, word_ngrams


def test_character_ngrams_stay_within_padded_words():
    assert char_ngrams("Ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert " d" in char_ngrams("Müll da") and "l d" not in char_ngrams("Müll da")


def test_word_ngrams_are_words_and_word_pairs_of_the_normalized_text():
    assert word_ngrams("Müll, Müll!") == ["muell", "muell", "muell muell"]


def test_our_transform_gives_exactly_the_training_matrix_rows():
    texts = [example.text for example in corpus_load()[::40]]
    features, matrix = features_fit(texts)
    for row, text in enumerate(texts):
        columns, values = features.transform_one(text)
        dense = np.zeros(features.width)
        dense[columns] = values
        assert np.allclose(matrix[row].toarray().ravel(), dense)


def test_a_typo_keeps_most_features_of_the_word():
    features, _ = features_fit([e.text for e in corpus_load()])
    right, _ = features.transform_one("Glasscherben")
    typo, _ = features.transform_one("Glassscherbn")
    assert len(set(right) & set(typo)) >= len(set(right)) / 2


def test_a_text_without_known_features_is_empty():
    features, _ = features_fit(["Müll liegt herum", "Müll am Platz"])
    columns, values = features.transform_one("xyzzy")
    assert len(columns) == 0
    assert len(values) == 0
