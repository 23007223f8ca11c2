"""German texts of the roster core: violations, shortfall explanations, progress, import errors.

Plain German strings (the roster core has no request and no active language); every user-visible
sentence of the package is built here, from whole sentences with placeholders.
"""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
ABSENCE_NAMES = {"leave": "Urlaub", "sickness": "krank", "training": "Fortbildung"}


def day_label(day: date) -> str:
    """`Mi 01.01.2025`."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d.%m.%Y}"


def hours_label(minutes: int) -> str:
    """`156,0 Std.` (one decimal, German comma)."""
    return f"{_decimal(minutes / 60)} Std."


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def shift_on_day(shift_name: str, day: date) -> str:
    return f"{shift_name} am {day_label(day)}"


# Violations ---------------------------------------------------------------------------------------


def unknown_person(person: int) -> str:
    return f"Unbekannte Person Nr. {person} im Dienstplan."


def unknown_shift(person_name: str, code: str, day: date) -> str:
    return f"{person_name}: unbekannte Schicht „{code}“ am {day_label(day)}."


def outside_horizon(person_name: str, day_index: int) -> str:
    return f"{person_name}: Einteilung an Tag {day_index} liegt außerhalb des Planungszeitraums."


def more_than_one_shift(person_name: str, day: date, shift_names: list[str]) -> str:
    return f"{person_name}: mehr als eine Schicht am {day_label(day)} ({', '.join(shift_names)})."


def too_long_shift(person_name: str, shift_name: str, day: date, minutes: int, limit: int) -> str:
    return (
        f"{person_name}: {shift_on_day(shift_name, day)} dauert {hours_label(minutes)} "
        f"(höchstens {hours_label(limit)} am Tag)."
    )


def absent_but_planned(person_name: str, day: date, absence: str, shift_name: str) -> str:
    kind = ABSENCE_NAMES.get(absence, absence)
    return f"{person_name} ist am {day_label(day)} abwesend ({kind}), aber für {shift_name} eingeteilt."


def rest_too_short(
    person_name: str,
    first: str,
    first_day: date,
    second: str,
    second_day: date,
    rest: int,
    limit: int,
) -> str:
    return (
        f"{person_name}: Ruhezeit zwischen {shift_on_day(first, first_day)} und "
        f"{shift_on_day(second, second_day)} nur {hours_label(rest)} (mindestens {hours_label(limit)})."
    )


def too_many_consecutive_days(person_name: str, run: int, last_day: date, limit: int) -> str:
    return (
        f"{person_name}: {run} Arbeitstage in Folge bis {day_label(last_day)} (höchstens {limit})."
    )


def too_few_free_sundays(person_name: str, free: int, required: int) -> str:
    return f"{person_name}: nur {free} freie Sonntage im Planungszeitraum (mindestens {required})."


def contract_hours_missed(
    person_name: str, first: date, last: date, actual: int, contract: int, tolerance: int
) -> str:
    return (
        f"{person_name}: {hours_label(actual)} im Block {first:%d.%m.} bis {last:%d.%m.%Y} "
        f"(Soll {hours_label(contract)} ± {hours_label(tolerance)})."
    )


def understaffed(shift_name: str, day: date, planned: int, minimum: int) -> str:
    return f"{shift_on_day(shift_name, day)}: nur {planned} eingeteilt, Mindestbesetzung {minimum}."


def team_lead_missing(shift_name: str, day: date, planned: int, required: int) -> str:
    if planned == 0:
        return f"{shift_on_day(shift_name, day)}: keine Teamleitung eingeteilt."
    return f"{shift_on_day(shift_name, day)}: {planned} Teamleitungen eingeteilt, nötig {required}."


def patrol_alone(shift_name: str, day: date, walkers: int) -> str:
    people = "geht 1 Kraft" if walkers == 1 else f"gehen {walkers} Kräfte"
    return (
        f"Streife allein: {shift_on_day(shift_name, day)} {people} Streife; "
        f"Streifen gehen zu zweit."
    )


# Solver explanations and progress -----------------------------------------------------------------


def shortfall(
    shift_name: str, day: date, missing: int, minimum: int, available: int, absent: int
) -> str:
    people = "Kraft" if missing == 1 else "Kräfte"
    return (
        f"{shift_on_day(shift_name, day)}: {missing} {people} zu wenig für die Mindestbesetzung "
        f"von {minimum} ({absent} Personen abwesend, {available} verfügbar; die übrigen sind durch "
        f"Ruhezeiten, Folgetage, freie Sonntage oder Stundensoll gebunden)."
    )


def patrol_partner_shortfall(shift_name: str, day: date, walkers: int) -> str:
    return (
        f"{shift_on_day(shift_name, day)}: 1 Kraft zu wenig, damit niemand allein Streife geht "
        f"({walkers} auf Streife; Streifen gehen zu zweit)."
    )


def team_lead_shortfall(shift_name: str, day: date, missing: int, available: int) -> str:
    return (
        f"{shift_on_day(shift_name, day)}: {missing} Teamleitung(en) fehlen "
        f"({available} Teamleitungen an diesem Tag nicht abwesend)."
    )


def demand_not_met(shifts: int, people: int) -> str:
    where = "einer Schicht" if shifts == 1 else f"{shifts} Schichten"
    return (
        f"Der Bedarf ist nicht erfüllbar: Auf {where} fehlen insgesamt {people} "
        f"Einsätze zur Mindestbesetzung."
    )


def rules_conflict(person_name: str, first: date, last: date) -> str:
    return (
        f"{person_name}: Stundensoll, Abwesenheiten, Ruhezeiten, Arbeitstage in Folge und freie "
        f"Sonntage lassen sich von {day_label(first)} bis {day_label(last)} nicht zugleich einhalten."
    )


def rules_conflict_unknown(first: date, last: date) -> str:
    return (
        f"Von {day_label(first)} bis {day_label(last)} widersprechen sich die Regeln; "
        f"keine einzelne Person ist allein die Ursache."
    )


def no_solution(seconds: float) -> str:
    return f"Innerhalb von {seconds:.0f} s wurde kein Dienstplan gefunden."


def progress_line(
    window: int, windows: int, seconds: float, solutions: int, objective: float, bound: float
) -> str:
    return (
        f"Abschnitt {window}/{windows}, {_decimal(seconds)} s: Lösung {solutions}, "
        f"Zielwert {objective:.0f}, Schranke {bound:.0f}."
    )


# Import errors ------------------------------------------------------------------------------------


def missing_column(name: str) -> str:
    return f"Spalte „{name}“ fehlt."


def bad_value(line: int, column: str, value: str) -> str:
    return f"Zeile {line}: ungültiger Wert „{value}“ in Spalte „{column}“."


def unknown_staff_id(line: int, staff_id: str) -> str:
    return f"Zeile {line}: unbekannte Person „{staff_id}“."


def day_outside(line: int, value: str) -> str:
    return f"Zeile {line}: Datum {value} liegt außerhalb des Planungszeitraums."


def demand_missing(day: date, shift_name: str) -> str:
    return f"Kein Bedarf für {shift_on_day(shift_name, day)} angegeben."


def instance_invalid(detail: str) -> str:
    return f"Ungültige Dienstplan-Instanz: {detail}"


def not_utf8() -> str:
    return "Die Datei ist nicht UTF-8-kodiert."


def json_invalid(line: int, column: int, detail: str) -> str:
    return f"Die Datei ist kein gültiges JSON (Zeile {line}, Spalte {column}: {detail})."


def json_not_an_object() -> str:
    return "Die Datei enthält kein JSON-Objekt mit einer Dienstplan-Instanz."


def shift_times_differ(code: str, known: str, given: str) -> str:
    return (
        f"Die Schicht „{code}“ dauert hier {known}, in der Datei aber {given}; bitte die "
        f"Schichtarten angleichen."
    )
