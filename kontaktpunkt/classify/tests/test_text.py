from __future__ import annotations

from kontaktpunkt.classify.text import normalize


def test_case_umlauts_and_eszett_are_folded():
    assert normalize("Straße Müll Größe ÖL") == "strasse muell groesse oel"


def test_all_caps_and_punctuation_make_no_difference():
    assert normalize("SPRITZEN AM SPIELPLATZ!!!") == normalize("spritzen am spielplatz")


def test_missing_spaces_after_punctuation_still_separate_words():
    assert normalize("Müll,Scherben.Dreck") == "muell scherben dreck"


def test_stretched_letters_are_shortened():
    assert normalize("sooooo viel Mülllll!!!") == "soo viel muell"


def test_other_accents_are_dropped():
    assert normalize("Café à la carte") == "cafe a la carte"


def test_an_empty_or_blank_text_normalizes_to_nothing():
    assert normalize("  ?! … ") == ""
