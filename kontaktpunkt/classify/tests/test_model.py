"""The trained classifier on texts written for these tests (none of them is in the corpus)."""

from __future__ import annotations

import pytest

from kontaktpunkt.classify.model import OUT_OF_SCOPE_LABEL, Classifier, temperature_for
from kontaktpunkt.classify.taxonomy import taxonomy_load


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
    suggestion = classifier.suggest("", top=61)
    assert classifier.probabilities("") == pytest.approx([1 / 61] * 61)
    assert {round(c.confidence, 12) for c in suggestion.candidates} == {
        round((1 - suggestion.out_of_scope) / 61, 12)
    }


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


# Texts that are no concern of any kind, as a city's mailbox gets them (none is in the corpus).
NO_CONCERNS = [
    "Ich möchte wissen, wer für meine Straße zuständig ist",
    "Vielen Dank für Ihre schnelle Hilfe!",
    "Wann hat das Bürgerbüro in Hüls geöffnet?",
    "Bis wann muss die Abfallgebühr bezahlt sein?",
    "Ich bin vom 3. bis 17. Juli im Urlaub und lese meine E-Mails nicht.",
    "Anhang",
    "Ich brauche einen Anwohnerparkausweis für die Innenstadt, wie geht das?",
    "Herzlichen Glückwunsch! Sie haben ein iPhone gewonnen, klicken Sie hier.",
    "Guten Tag, ich möchte mich auf die Stelle als Streetworkerin bewerben. Unterlagen anbei.",
    "Meine Hausärztin hat mir eine Spritze gegeben, darf ich danach Auto fahren?",
    "Wann wird der Müll in der Weihnachtswoche abgeholt?",
]

# Concerns, also short, misspelt or wrapped in an e-mail's greeting and attachment note.
CONCERNS = [
    ("Laterne kaputt", "cleanliness-street-lighting"),
    ("sprizen im sankasten", "cleanliness-syringes"),
    ("hundekacke überall vorm haus", "cleanliness-dog-waste"),
    ("Lärm nachts", "order-noise"),
    ("Da pennt einer bei der Kälte im Hauseingang", "social-cold-weather"),
    ("Mein Sohn nimmt Drogen, wo bekommen wir Beratung?", "social-addiction-advice"),
    (
        "Sehr geehrte Damen und Herren,\nam Spielplatz Westwall liegen gebrauchte Spritzen im "
        "Sand. Ein Foto hänge ich an.\nMit freundlichen Grüßen",
        "cleanliness-syringes",
    ),
]


@pytest.mark.parametrize("text", NO_CONCERNS)
def test_a_text_that_is_no_concern_is_judged_out_of_scope(classifier: Classifier, text: str):
    suggestion = classifier.suggest(text)

    assert suggestion.is_out_of_scope
    assert suggestion.out_of_scope == pytest.approx(classifier.out_of_scope(text))
    assert suggestion.best.confidence < 0.1  # no category is a good proposal
    assert suggestion.field_confidence <= 1 - suggestion.out_of_scope + 1e-9


def test_the_issue_example_is_no_longer_addiction_advice_for_sure(classifier: Classifier):
    text = "Ich möchte wissen, wer für meine Straße zuständig ist"

    suggestion = classifier.suggest(text)

    assert suggestion.out_of_scope > 0.9
    assert suggestion.best.confidence < 0.05
    verdict = classifier.judge(text, code="social-addiction-advice")
    assert verdict.confidence is not None and verdict.confidence < 0.05


@pytest.mark.parametrize(("text", "code"), CONCERNS)
def test_a_concern_is_not_judged_out_of_scope(classifier: Classifier, text: str, code: str):
    suggestion = classifier.suggest(text)

    assert not suggestion.is_out_of_scope
    assert suggestion.out_of_scope < 0.2
    assert suggestion.best.code == code
    assert suggestion.best.confidence >= 0.7


@pytest.mark.parametrize("text", [NO_CONCERNS[0], "Danke", "", CONCERNS[0][0]])
def test_the_reject_class_is_never_a_candidate(classifier: Classifier, text: str):
    codes = set(taxonomy_load().codes)

    suggestion = classifier.suggest(text, top=100)

    assert len(suggestion.candidates) == 61
    assert {c.code for c in suggestion.candidates} == codes
    assert OUT_OF_SCOPE_LABEL not in codes
    assert OUT_OF_SCOPE_LABEL not in classifier.categories.labels
    total = sum(c.confidence for c in suggestion.candidates) + suggestion.out_of_scope
    assert total == pytest.approx(1.0)
