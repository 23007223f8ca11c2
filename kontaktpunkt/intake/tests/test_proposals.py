"""The classifier's proposal for concerns without a clerk (e-mail, Open311), with the real model."""

from __future__ import annotations

import pytest

from kontaktpunkt.classify.model import OUT_OF_SCOPE_LABEL
from kontaktpunkt.geo.models import Facility, FacilityKind
from kontaktpunkt.intake.models import Category, Channel, Priority
from kontaktpunkt.intake.proposals import (
    DOUBT_MAX_CONFIDENCE,
    EXTRA_KEY,
    TAKE_MIN_CONFIDENCE,
    WHY_INACTIVE,
    WHY_OUT_OF_SCOPE,
    inputs_classify,
)
from kontaktpunkt.intake.services import ConcernInput
from kontaktpunkt.intake.suggest import OFFERED, desk_suggestion

pytestmark = pytest.mark.django_db

SYRINGES = "cleanliness-syringes"
GRAFFITI = "cleanliness-graffiti"
THEATERPLATZ = (51.33283, 6.56262)


def classify(data: ConcernInput) -> ConcernInput:
    (result,) = inputs_classify(inputs=[data])
    return result


def test_a_mail_the_classifier_is_sure_about_gets_its_category_and_urgency():
    data = ConcernInput(
        channel=Channel.EMAIL,
        description="Spritzen am Spielplatz\n\nIm Sandkasten liegen gebrauchte Spritzen.",
    )

    result = classify(data)

    assert result.category is not None and result.category.code == SYRINGES
    assert result.priority == Priority.URGENT  # syringes where children play
    note = result.extra[EXTRA_KEY]
    assert note["taken"] is True
    assert note["candidates"][0]["code"] == SYRINGES
    assert note["candidates"][0]["confidence"] >= TAKE_MIN_CONFIDENCE
    assert note["urgency"] == Priority.URGENT


def test_a_mail_the_classifier_is_unsure_about_stays_uncategorised_with_the_proposal_noted():
    data = ConcernInput(channel=Channel.EMAIL, description="Beschwerde über Ihren Mitarbeiter")

    result = classify(data)

    assert result.category is None and result.priority is None
    note = result.extra[EXTRA_KEY]
    assert note["taken"] is False
    assert len(note["candidates"]) == 3
    assert note["candidates"][0]["confidence"] < TAKE_MIN_CONFIDENCE
    assert note["why_not_taken"] == WHY_OUT_OF_SCOPE  # a complaint about staff is no concern


def test_an_inactive_category_is_proposed_but_not_taken():
    Category.objects.filter(code=SYRINGES).update(active=False)

    result = classify(
        ConcernInput(channel=Channel.EMAIL, description="Gebrauchte Spritzen im Gebüsch.")
    )

    assert result.category is None
    assert result.extra[EXTRA_KEY]["candidates"][0]["code"] == SYRINGES
    assert result.extra[EXTRA_KEY]["taken"] is False
    assert result.extra[EXTRA_KEY]["why_not_taken"] == WHY_INACTIVE


def test_a_given_category_stays_and_gets_the_urgency_of_the_text_raised_near_a_playground():
    Facility.objects.create(
        kind=FacilityKind.PLAYGROUND, name="Spielplatz Südwall", lat=51.33290, lon=6.56270
    )
    syringes = Category.objects.get(code=SYRINGES)
    data = ConcernInput(
        channel=Channel.OPEN311,
        description="Da liegen gebrauchte Spritzen.",
        category=syringes,
        lat=THEATERPLATZ[0],
        lon=THEATERPLATZ[1],
        extra={"open311": {"client": "App"}},
    )

    result = classify(data)

    assert result.category == syringes
    assert syringes.default_priority < Priority.URGENT
    assert result.priority == Priority.URGENT
    note = result.extra[EXTRA_KEY]
    assert "near_playground" in note["reasons"]
    assert note["doubt"] is False and note["taken"] is False
    assert result.extra["open311"] == {"client": "App"}


def test_a_given_category_the_text_contradicts_is_kept_with_a_doubt_for_staff():
    graffiti = Category.objects.get(code=GRAFFITI)
    data = ConcernInput(
        channel=Channel.OPEN311,
        description="Im Sandkasten liegen gebrauchte Spritzen.",
        category=graffiti,
    )

    result = classify(data)

    assert result.category == graffiti
    note = result.extra[EXTRA_KEY]
    assert note["doubt"] is True
    assert note["given_confidence"] < DOUBT_MAX_CONFIDENCE
    assert note["candidates"][0]["code"] == SYRINGES


def test_a_given_category_the_text_fits_raises_no_doubt():
    graffiti = Category.objects.get(code=GRAFFITI)

    result = classify(
        ConcernInput(
            channel=Channel.OPEN311, description="Die Wand ist vollgesprüht.", category=graffiti
        )
    )

    assert result.extra[EXTRA_KEY]["doubt"] is False


def test_an_urgency_given_by_the_channel_is_kept():
    syringes = Category.objects.get(code=SYRINGES)
    data = ConcernInput(
        channel=Channel.OPEN311,
        description="Im Sandkasten liegen gebrauchte Spritzen.",
        category=syringes,
        priority=Priority.LOW,
    )

    assert classify(data).priority == Priority.LOW


def test_a_text_without_words_is_left_as_it_is():
    data = ConcernInput(channel=Channel.EMAIL, description=" .. ")

    assert classify(data) == data


# Mails that are no concern (none of them is in the classifier's corpus).
NOT_CONCERNS = [
    "Ich möchte wissen, wer für meine Straße zuständig ist",
    "Danke für die schnelle Antwort, das hat mir sehr geholfen!",
    "Automatische Antwort: Ich bin bis zum 12. August nicht im Haus.",
    "Sehr geehrte Damen und Herren,\n\nanbei meine Bewerbung als Verwaltungsfachangestellte.",
    "Bis wann muss die Abfallgebühr bezahlt sein?",
    "Wie lange hat das Bürgerbüro am Donnerstag auf?",
    "Ihr Postfach ist voll! Jetzt hier klicken und Speicher kostenlos erweitern.",
    "Betreff: Presseanfrage\n\nWie viele Meldungen sind im letzten Monat eingegangen?",
    "Anhang",
]


@pytest.mark.parametrize("text", NOT_CONCERNS)
def test_a_mail_that_is_no_concern_is_not_categorised_and_the_note_says_why(text: str):
    result = classify(ConcernInput(channel=Channel.EMAIL, description=text))

    assert result.category is None and result.priority is None
    note = result.extra[EXTRA_KEY]
    assert note["taken"] is False
    assert note["why_not_taken"] == WHY_OUT_OF_SCOPE
    assert note["out_of_scope"] >= 0.5
    assert len(note["candidates"]) == 3
    assert OUT_OF_SCOPE_LABEL not in {c["code"] for c in note["candidates"]}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Laterne kaputt", "cleanliness-street-lighting"),
        ("sprizen im sankasten", SYRINGES),
        ("hundekacke überall vorm haus", "cleanliness-dog-waste"),
        ("Ampel an der Kreuzung Ostwall ist seit heute morgen aus", "cleanliness-traffic-lights"),
        (
            "Sehr geehrte Damen und Herren,\n\nam Spielplatz Westwall liegen gebrauchte Spritzen "
            "im Sand. Ein Foto hänge ich an.\n\nMit freundlichen Grüßen",
            SYRINGES,
        ),
    ],
)
def test_a_concern_mail_also_short_or_misspelt_is_still_categorised(text: str, code: str):
    result = classify(ConcernInput(channel=Channel.EMAIL, description=text))

    assert result.category is not None and result.category.code == code
    note = result.extra[EXTRA_KEY]
    assert note["taken"] is True and "why_not_taken" not in note
    assert note["out_of_scope"] < 0.5


def test_a_given_category_stays_even_for_a_text_that_is_no_concern_and_the_note_says_so():
    graffiti = Category.objects.get(code=GRAFFITI)
    data = ConcernInput(
        channel=Channel.OPEN311, description="Vielen Dank für Ihre Hilfe!", category=graffiti
    )

    result = classify(data)

    assert result.category == graffiti
    note = result.extra[EXTRA_KEY]
    assert note["out_of_scope"] >= 0.5
    assert note["given_confidence"] < DOUBT_MAX_CONFIDENCE


@pytest.mark.parametrize("text", [NOT_CONCERNS[0], NOT_CONCERNS[1], "Spritzen im Gebüsch"])
def test_the_desk_offers_only_real_categories_and_low_confidences_for_no_concern(text: str):
    proposal = desk_suggestion(text=text, lat=None, lon=None)

    assert proposal is not None
    assert len(proposal.offers) == OFFERED
    codes = {offer.code for offer in proposal.offers}
    assert OUT_OF_SCOPE_LABEL not in codes
    assert codes <= set(Category.objects.values_list("code", flat=True))
    if text in NOT_CONCERNS:
        assert proposal.offers[0].confidence < 0.1
    else:
        assert proposal.offers[0].code == SYRINGES and proposal.offers[0].confidence > 0.9
