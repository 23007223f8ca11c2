from __future__ import annotations

from datetime import date

from kontaktpunkt.roster import messages


def test_days_are_written_the_german_way():
    assert messages.day_label(date(2025, 1, 1)) == "Mi 01.01.2025"


def test_hours_have_a_decimal_comma():
    assert messages.hours_label(468) == "7,8 Std."


def test_a_shortfall_names_the_shift_and_how_many_are_missing():
    text = messages.shortfall("Früh", date(2025, 1, 1), 2, 12, 10, 38)

    assert text.startswith(
        "Früh am Mi 01.01.2025: 2 Kräfte zu wenig für die Mindestbesetzung von 12"
    )
    assert "(38 Personen abwesend, 10 verfügbar;" in text


def test_progress_shows_the_best_objective_and_the_bound():
    line = messages.progress_line(2, 13, 4.25, 7, 1200, 0)

    assert line == "Abschnitt 2/13, 4,2 s: Lösung 7, Zielwert 1200, Schranke 0."
