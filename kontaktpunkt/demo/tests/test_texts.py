"""German concern texts of the demo world (kontaktpunkt/demo/texts.py)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from kontaktpunkt.demo.phrases_de import HEADLINES, PHRASES
from kontaktpunkt.demo.texts import (
    PlaceRef,
    concern_text,
    note_text,
    partner_update_text,
    place_phrase,
    reply_text,
)

TAXONOMY = Path(__file__).resolve().parents[2] / "intake" / "data" / "taxonomy_de.json"
CODES = [row["code"] for row in json.loads(TAXONOMY.read_text(encoding="utf-8"))["categories"]]
CHANNELS = ("web", "email", "open311", "phone", "walk_in", "field")
PLACES = (
    PlaceRef("Theaterplatz", "1", ("am Theaterplatz", "auf dem Theaterplatz")),
    PlaceRef("Königstraße", "114"),
    PlaceRef("Westwall", "200"),
    PlaceRef("Greiffenhorst"),
    PlaceRef("Am Hauptbahnhof", "5"),
)
GERMAN_WORDS = {
    "der", "die", "das", "dat", "und", "ist", "is", "in", "im", "am", "vor", "bitte", "nicht",
    "nich", "ein", "eine", "mit", "auf", "bei", "höhe", "meldet", "seit", "liegt", "liegen",
    "bereich", "festgestellt", "wird", "sind", "hat", "ich", "habe", "von", "es", "zu",
}  # fmt: skip


def _draw(category: str, rng: random.Random, channel: str | None = None) -> str:
    return concern_text(
        rng,
        category=category,
        channel=channel or rng.choice(CHANNELS),
        place=rng.choice(PLACES),
        hour=rng.randrange(24),
        reporter_name="Karin Jansen",
    )


def test_every_category_of_the_taxonomy_has_phrases_and_headlines() -> None:
    assert set(PHRASES) == set(CODES)
    assert set(HEADLINES) == set(CODES)


@pytest.mark.parametrize("category", CODES)
def test_texts_for_every_category_are_german_and_varied(category: str) -> None:
    rng = random.Random(category)
    texts = [_draw(category, rng) for _ in range(30)]
    assert all(text.strip() for text in texts)
    for text in texts:
        words = set(re.findall(r"[a-zäöüß]+", text.lower()))
        assert words & GERMAN_WORDS, text
        assert "{" not in text and "}" not in text, text
    assert len(set(texts)) >= 10


def test_the_same_seed_gives_the_same_texts() -> None:
    first = [_draw("cleanliness-syringes", random.Random(5)) for _ in range(5)]
    second = [_draw("cleanliness-syringes", random.Random(5)) for _ in range(5)]
    assert first == second


def test_texts_vary_in_tone_from_caps_to_dialect_and_typos() -> None:
    rng = random.Random(1)
    texts = [_draw("order-noise", rng, rng.choice(("web", "open311", "email"))) for _ in range(600)]
    assert any(text.isupper() for text in texts)
    assert any(re.search(r"\b(dat|wat|watt|nich)\b", text, re.IGNORECASE) for text in texts)
    assert any(text.startswith(("Sehr geehrte", "Guten Tag", "Hallo", "Moin")) for text in texts)
    assert any(not re.search(r"[.!?]", text) for text in texts)  # without punctuation


def test_an_email_starts_with_a_greeting_and_often_ends_with_the_name() -> None:
    rng = random.Random(2)
    texts = [_draw("cleanliness-litter", rng, "email") for _ in range(20)]
    assert all("\n\n" in text for text in texts)
    assert any(text.endswith("Karin Jansen") for text in texts)


def test_staff_record_phone_calls_and_patrols_as_notes() -> None:
    rng = random.Random(3)
    phone = [_draw("order-public-drinking", rng, "phone") for _ in range(20)]
    field = [_draw("order-public-drinking", rng, "field") for _ in range(20)]
    assert any(re.search(r"Anruf|Tel\.|ruft an|telefonisch", text) for text in phone)
    assert all(
        text.startswith(
            (
                "Bei Streife",
                "Eigene Feststellung",
                "Im Rahmen",
                "Streife",
                "Feststellung",
                "Bei Kontrollgang",
            )
        )
        for text in field
    )


def test_place_phrases_use_the_article_of_the_street() -> None:
    rng = random.Random(4)
    feminine = {place_phrase(rng, PlaceRef("Königstraße")) for _ in range(100)}
    masculine = {place_phrase(rng, PlaceRef("Westwall")) for _ in range(100)}
    assert "in der Königstraße" in feminine
    assert not any(p.startswith(("am ", "auf dem ")) for p in feminine)
    assert "am Westwall" in masculine
    assert not any(" der " in f" {p} " for p in masculine)


def test_replies_notes_and_partner_updates_are_german() -> None:
    rng = random.Random(6)
    assert "erledigt" in " ".join(reply_text(rng, kind="resolved") for _ in range(20)).lower()
    forwarded = reply_text(rng, kind="forwarded", unit="KBK")
    assert "KBK" in forwarded
    assert "KP-2025-000001" in reply_text(rng, kind="duplicate", reference="KP-2025-000001")
    assert note_text(rng, field="social")
    assert partner_update_text(rng, unit_slug="street-cleaning")
