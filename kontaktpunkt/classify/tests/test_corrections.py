from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from kontaktpunkt.classify.corrections import correction_line, text_redact
from kontaktpunkt.classify.models import Correction
from kontaktpunkt.classify.services import correction_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Bitte an erika.muster@example.org schreiben", "Bitte an [E-Mail] schreiben"),
        ("Rückruf 02151 / 12 34 56", "Rückruf [Telefon]"),
        ("Tel. +49 (2151) 123456 bitte", "Tel. [Telefon] bitte"),
        ("Königstraße 114, 47798 Krefeld", "Königstraße 114, 47798 Krefeld"),
        ("Seit dem 12.03.2026 um 20:30", "Seit dem 12.03.2026 um 20:30"),
    ],
)
def test_contact_details_are_masked_but_addresses_and_dates_stay(text, masked):
    assert text_redact(text) == masked


def test_a_changed_suggestion_is_kept_with_the_text_masked():
    correction = correction_record(
        text="Müll vor der Tür, melde mich unter 0151 2345678",
        suggested_code="cleanliness-litter",
        final_code="cleanliness-illegal-dumping",
        urgency=2,
    )

    assert correction is not None
    assert Correction.objects.get().text == "Müll vor der Tür, melde mich unter [Telefon]"


@pytest.mark.parametrize(
    ("suggested", "final"), [("cleanliness-litter", "cleanliness-litter"), ("", "order-noise")]
)
def test_a_confirmed_or_missing_suggestion_keeps_nothing(suggested, final):
    assert (
        correction_record(text="Müll", suggested_code=suggested, final_code=final, urgency=2)
        is None
    )
    assert not Correction.objects.exists()


def test_an_exported_line_is_a_corpus_line_with_the_suggestion_beside_it():
    row = Correction(
        text="Müll",
        suggested_code="cleanliness-litter",
        final_code="cleanliness-litter-bins",
        urgency=2,
        at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    )

    assert json.loads(correction_line(row)) == {
        "text": "Müll",
        "category": "cleanliness-litter-bins",
        "urgency": 2,
        "suggested": "cleanliness-litter",
        "at": "2026-03-01T10:30+01:00",
    }
