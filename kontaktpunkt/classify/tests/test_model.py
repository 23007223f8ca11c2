"""The trained classifier on texts written for these tests (none of them is in the corpus)."""

from __future__ import annotations

import pytest

from kontaktpunkt.classify.model import Classifier, temperature_for


def test_the_issue_example_is_syringes_with_high_urgency(classifier: Classifier):
    suggestion = classifier.suggest("Seit Tagen liegt am Spielplatz Westwall ein Haufen Spritzen")
    assert suggestion.best.code == "cleanliness-syringes"
    assert suggestion.field == "cleanliness"
    assert suggestion.urgency == 4


def test_three_candidates_come_best_first_with_confidences(classifier: Classifier):
    suggestion = classifier.suggest("Der Mülleimer an der Haltestelle quillt über")
    confidences = [c.confidence for c in suggestion.candidates]
    assert len(suggestion.candidates) == 3
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1 + 1e-9
    assert suggestion.best.code == "cleanliness-litter-bins"
    assert suggestion.field_confidence >= suggestion.best.confidence


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SPRITZEN IM SANDKASTEN AM SPIELPLATZ!!!", "cleanliness-syringes"),
        ("spritzen im sandkasten am spielplatz", "cleanliness-syringes"),
        ("sprizen im sankasten", "cleanliness-syringes"),
        ("Da liegt ne Menge Kram rum am Bahnhof, dat is ne Sauerei", "cleanliness-litter"),
        ("wat en Krach, die Musik von nebenan dröhnt bis drei Uhr nachts", "order-noise"),
        ("Laterne kaputt", "cleanliness-street-lighting"),
        ("schlagloch", "cleanliness-road-damage"),
        ("Sofa und Kühlschrank am Waldrand abgeladen", "cleanliness-illegal-dumping"),
        ("Bei dem Frost liegt ein Mann ohne Decke unter der Brücke", "social-cold-weather"),
        ("Der Mann hat ein Messer und bedroht die Leute vor dem Kiosk", "security-aggression"),
    ],
)
def test_typos_dialect_capitals_and_short_texts_are_understood(
    classifier: Classifier, text: str, code: str
):
    assert classifier.suggest(text).best.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Überall liegen Pizzakartons und Dosen auf der Wiese", "cleanliness-litter"),
        (
            "Jemand hat einen Haufen Sperrmüll neben die Straße gekippt",
            "cleanliness-illegal-dumping",
        ),
        ("Der Papierkorb ist voll, der Müll liegt schon daneben", "cleanliness-litter-bins"),
        (
            "Die Straße wurde seit Wochen nicht gekehrt, Laub im Rinnstein",
            "cleanliness-street-cleaning",
        ),
        (
            "Ich habe gesehen, wie die Frau ihren Hund vor unsere Tür kacken ließ",
            "order-dog-fouling",
        ),
        ("Überall Hundehaufen auf der Wiese am Spielplatz", "cleanliness-dog-waste"),
        ("Die Leute drücken sich im Hauseingang Heroin", "security-drug-scene"),
        ("Im Gebüsch liegen gebrauchte Spritzen", "cleanliness-syringes"),
        ("Ein Obdachloser schläft seit Tagen im Eingang der Bank", "social-sleeping-rough"),
        ("Mein Sohn nimmt Drogen, wo bekommen wir Beratung?", "social-addiction-advice"),
    ],
)
def test_near_neighbours_are_told_apart_by_their_cues(classifier: Classifier, text: str, code: str):
    assert classifier.suggest(text).best.code == code


def test_a_one_word_text_gets_less_confidence_than_a_full_report(classifier: Classifier):
    short = classifier.suggest("Hund")
    full = classifier.suggest("Der Hund läuft im Park ohne Leine herum, trotz Leinenpflicht")
    assert short.best.confidence < 0.8
    assert full.best.code == "order-dogs-off-leash"
    assert full.best.confidence > short.best.confidence


def test_an_empty_text_gets_an_even_spread(classifier: Classifier):
    suggestion = classifier.suggest("")
    assert suggestion.best.confidence == pytest.approx(1 / 61)


def test_the_temperature_grows_with_the_number_of_words():
    assert float(temperature_for(0, temperature=8.0, shortness=2.0)) == 0.0
    assert float(temperature_for(2, temperature=8.0, shortness=2.0)) == 4.0
    assert float(temperature_for(1000, temperature=8.0, shortness=2.0)) == pytest.approx(
        8.0, rel=0.01
    )
    assert float(temperature_for(3, temperature=8.0, shortness=0.0)) == 8.0


def test_predict_and_suggest_agree(classifier: Classifier):
    texts = ["Ampel aus an der Kreuzung", "Graffiti an der Schule", "Hund hat mich gebissen"]
    assert classifier.predict(texts) == [s.best.code for s in classifier.suggest_many(texts)]


def test_a_given_category_is_judged_with_its_confidence_and_its_own_urgency(
    classifier: Classifier,
):
    text = "Im Sandkasten am Spielplatz liegen gebrauchte Spritzen"

    fitting = classifier.judge(text, code="cleanliness-syringes")
    contradicted = classifier.judge(text, code="cleanliness-graffiti")

    assert fitting.suggestion == classifier.suggest(text)
    assert not fitting.disagrees and fitting.urgency == fitting.suggestion.urgency
    assert fitting.confidence == pytest.approx(fitting.suggestion.best.confidence)
    assert contradicted.disagrees
    assert contradicted.confidence is not None and contradicted.confidence < 0.01
    assert contradicted.urgency < fitting.urgency  # graffiti is not urgent, syringes here are


def test_a_category_the_model_does_not_know_is_judged_without_confidence(classifier: Classifier):
    verdict = classifier.judge("Gebrauchte Spritzen", code="not-in-the-taxonomy")

    assert verdict.confidence is None
    assert verdict.urgency == verdict.suggestion.urgency
