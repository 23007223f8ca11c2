"""Load roster instances: the JSON format of shared/data/roster/ and CSV files from planners.

The JSON format counts hours in tenths (a shift is 80, a weekday 78, the tolerance 80); everything
here is converted to minutes. CSV files may use a comma or a semicolon as delimiter; dates are ISO
(`2025-01-31`) or German (`31.01.2025`). Errors raise InstanceError with a German message.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from kontaktpunkt.roster import messages
from kontaktpunkt.roster.domain import (
    Absence,
    AbsenceKind,
    CarryIn,
    Instance,
    Post,
    Qualification,
    Rules,
    ShiftDemand,
    ShiftType,
    StaffMember,
    Wish,
    WishKind,
)

TENTH_HOUR_MINUTES = 6
SHIFT_NAMES = {"E": "Früh", "L": "Spät", "N": "Nacht", "S": "Kurz", "T": "Tag"}
LATE_FROM_MINUTE = 12 * 60
DEFAULT_SHIFT_TYPES = (
    ShiftType("E", "Früh", time(6), time(14)),
    ShiftType("L", "Spät", time(14), time(22), late=True),
)
BUNDLED = ("kod48", "kod48_t100")
POST_COLUMNS = ((Post.PATROL_PAIR, "patrol_pairs"), (Post.DESK, "desk"), (Post.MOBILE, "mobile"))

_Choice = TypeVar("_Choice", AbsenceKind, WishKind)


class InstanceError(ValueError):
    """The data does not describe a roster instance; the message is German and names the place."""


# JSON ---------------------------------------------------------------------------------------------


def instance_bundled(name: str) -> Instance:
    """One of the benchmark instances shipped in kontaktpunkt/roster/data/ (`kod48`, `kod48_t100`)."""
    if name not in BUNDLED:
        raise InstanceError(messages.instance_invalid(name))
    text = (
        resources.files("kontaktpunkt.roster").joinpath("data", f"{name}.json").read_text("utf-8")
    )
    return instance_from_json(json.loads(text))


def instance_load(path: Path) -> Instance:
    return instance_from_json(json.loads(path.read_text(encoding="utf-8")))


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    try:
        return _instance_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InstanceError):
            raise
        raise InstanceError(messages.instance_invalid(repr(exc))) from exc


def _instance_from_json(data: Mapping[str, Any]) -> Instance:
    raw_rules = data["rules"]
    shift_types = tuple(_shift_from_span(code, span) for code, span in raw_rules["shifts"].items())
    staff = tuple(_staff_from_json(s) for s in data["staff"])
    index = {s.id: p for p, s in enumerate(staff)}
    n_days = int(data["n_days"])
    rules = _rules_from_json(raw_rules)
    _check_units(raw_rules, shift_types, staff, rules)
    return Instance(
        name=str(data["name"]),
        start=date.fromisoformat(data["start"]),
        n_days=n_days,
        staff=staff,
        shift_types=shift_types,
        demand=tuple(
            tuple(_demand_from_json(day[s.code]) for s in shift_types) for day in data["demand"]
        ),
        absences=tuple(
            Absence(index[str(pid)], int(d), AbsenceKind.LEAVE)
            for pid, days in sorted(data.get("leave", {}).items(), key=lambda kv: index[kv[0]])
            for d in sorted(days)
        ),
        wishes=tuple(
            Wish(index[str(pid)], int(d), WishKind.DAY_OFF)
            for pid, days in sorted(data.get("wishes", {}).items(), key=lambda kv: index[kv[0]])
            for d in sorted(days)
        ),
        history=_history_from_json(data.get("history", {}), staff),
        rules=rules,
    )


def _shift_from_span(code: str, span: str) -> ShiftType:
    """`"06-14"` or `"06:30-14:45"`."""
    first, last = (_clock(part) for part in span.split("-"))
    return ShiftType(
        code=code,
        name=SHIFT_NAMES.get(code, code),
        start=first,
        end=last,
        late=first.hour * 60 + first.minute >= LATE_FROM_MINUTE,
    )


def _clock(text: str) -> time:
    hour, _, minute = text.strip().partition(":")
    return time(int(hour) % 24, int(minute or 0))


def _staff_from_json(raw: Mapping[str, Any]) -> StaffMember:
    qualifications = {Qualification(q) for q in raw.get("qualifications", [])}
    if raw.get("team_lead"):
        qualifications.add(Qualification.TEAM_LEAD)
    return StaffMember(
        id=str(raw["id"]),
        name=str(raw["name"]),
        weekly_minutes=round(float(raw["weekly_hours"]) * 60),
        qualifications=frozenset(qualifications),
    )


def _rules_from_json(raw: Mapping[str, Any]) -> Rules:
    defaults = Rules()
    return Rules(
        block_days=int(raw.get("block_len", defaults.block_days)),
        hours_tolerance_minutes=int(raw.get("hours_tolerance", 80)) * TENTH_HOUR_MINUTES,
        max_consecutive_days=int(raw.get("max_consec", defaults.max_consecutive_days)),
        free_sundays_per_year=int(raw.get("free_sundays_per_year", defaults.free_sundays_per_year)),
    )


def _check_units(
    raw: Mapping[str, Any],
    shift_types: Sequence[ShiftType],
    staff: Sequence[StaffMember],
    rules: Rules,
) -> None:
    """The tenths in the JSON must agree with the shift times and the weekly hours."""
    if "shift_units" in raw:
        units = int(raw["shift_units"]) * TENTH_HOUR_MINUTES
        if any(s.minutes != units for s in shift_types):
            raise InstanceError(messages.instance_invalid("shift_units"))
    if "weekday_credit" in raw:
        credit = int(raw["weekday_credit"]) * TENTH_HOUR_MINUTES
        if any(s.weekly_minutes != credit * rules.workdays_per_week for s in staff):
            raise InstanceError(messages.instance_invalid("weekday_credit"))


def _demand_from_json(raw: Mapping[str, Any]) -> ShiftDemand:
    posts = (
        (Post.PATROL_PAIR, int(raw.get("pairs_min", 0))),
        (Post.TEAM_LEAD, int(raw.get("team_lead", 0))),
        (Post.DESK, int(raw.get("desk", 0))),
        (Post.MOBILE, int(raw.get("mobile", 0))),
    )
    return ShiftDemand(
        minimum=int(raw["min"]),
        target=int(raw["target"]),
        team_leads=int(raw.get("team_lead", 0)),
        posts=tuple(p for p in posts if p[1]),
    )


def _history_from_json(
    raw: Mapping[str, Mapping[str, Any]], staff: Sequence[StaffMember]
) -> tuple[CarryIn, ...]:
    if not raw:
        return ()
    result = []
    for member in staff:
        entry = raw.get(member.id, {})
        last = str(entry.get("last", "-"))
        result.append(
            CarryIn(
                last_shift=None if last in {"-", ""} else last,
                consecutive_days=int(entry.get("consec", 0)),
            )
        )
    return tuple(result)


# Derived instances --------------------------------------------------------------------------------


def instance_head(instance: Instance, n_days: int) -> Instance:
    """The first `n_days` of an instance (same history, blocks and prorated rules on the shorter
    horizon)."""
    return replace(
        instance,
        name=f"{instance.name} ({n_days} Tage)",
        n_days=n_days,
        demand=instance.demand[:n_days],
        absences=tuple(a for a in instance.absences if a.day < n_days),
        wishes=tuple(w for w in instance.wishes if w.day < n_days),
    )


def instance_with_absences(instance: Instance, absences: Sequence[Absence]) -> Instance:
    """The instance with further absences (a sick call), replacing none of the existing ones."""
    known = instance.absent
    added = tuple(a for a in absences if (a.person, a.day) not in known)
    return replace(instance, absences=instance.absences + added)


# CSV ----------------------------------------------------------------------------------------------


def instance_from_csv(
    *,
    name: str,
    start: date,
    n_days: int,
    staff_csv: str,
    demand_csv: str,
    absences_csv: str = "",
    wishes_csv: str = "",
    shift_types: tuple[ShiftType, ...] = DEFAULT_SHIFT_TYPES,
    rules: Rules | None = None,
) -> Instance:
    """An instance from planners' CSV files (see the *_from_csv functions for their columns)."""
    staff = staff_from_csv(staff_csv)
    return Instance(
        name=name,
        start=start,
        n_days=n_days,
        staff=staff,
        shift_types=shift_types,
        demand=demand_from_csv(demand_csv, start=start, n_days=n_days, shift_types=shift_types),
        absences=absences_from_csv(absences_csv, start=start, n_days=n_days, staff=staff),
        wishes=wishes_from_csv(
            wishes_csv, start=start, n_days=n_days, staff=staff, shift_types=shift_types
        ),
        rules=rules or Rules(),
    )


def staff_from_csv(text: str) -> tuple[StaffMember, ...]:
    """Columns `id, name, weekly_hours` and optionally `qualifications` (space separated:
    team_lead desk driver)."""
    staff = []
    for line, row in _rows(text, ("id", "name", "weekly_hours")):
        raw_hours = row["weekly_hours"].replace(",", ".")
        qualifications = row.get("qualifications", "").split()
        try:
            weekly_minutes = round(float(raw_hours) * 60)
            quals = frozenset(Qualification(q) for q in qualifications)
        except ValueError as exc:
            raise InstanceError(messages.bad_value(line, "weekly_hours", raw_hours)) from exc
        staff.append(StaffMember(row["id"], row["name"], weekly_minutes, quals))
    return tuple(staff)


def absences_from_csv(
    text: str, *, start: date, n_days: int, staff: Sequence[StaffMember]
) -> tuple[Absence, ...]:
    """Columns `person, from` and optionally `until` (inclusive) and `kind` (leave, sickness,
    training; default leave). Days outside the horizon are dropped."""
    if not text.strip():
        return ()
    index = {s.id: p for p, s in enumerate(staff)}
    absences = []
    for line, row in _rows(text, ("person", "from")):
        person = _person(index, row["person"], line)
        first = _date(row["from"], line, "from")
        last = _date(row.get("until") or row["from"], line, "until")
        kind = _choice(AbsenceKind, row.get("kind") or AbsenceKind.LEAVE, line, "kind")
        for offset in range((first - start).days, (last - start).days + 1):
            if 0 <= offset < n_days:
                absences.append(Absence(person, offset, kind))
    return tuple(sorted(set(absences), key=lambda a: (a.person, a.day)))


def wishes_from_csv(
    text: str,
    *,
    start: date,
    n_days: int,
    staff: Sequence[StaffMember],
    shift_types: Sequence[ShiftType],
) -> tuple[Wish, ...]:
    """Columns `person, date` and optionally `kind` (day_off, shift) and `shift` (a shift code)."""
    if not text.strip():
        return ()
    index = {s.id: p for p, s in enumerate(staff)}
    codes = {s.code for s in shift_types}
    wishes = []
    for line, row in _rows(text, ("person", "date")):
        person = _person(index, row["person"], line)
        day = _day(row["date"], start, n_days, line)
        kind = _choice(WishKind, row.get("kind") or WishKind.DAY_OFF, line, "kind")
        shift = row.get("shift") or None
        if (kind is WishKind.SHIFT) != (shift is not None) or (shift and shift not in codes):
            raise InstanceError(messages.bad_value(line, "shift", shift or ""))
        wishes.append(Wish(person, day, kind, shift))
    return tuple(wishes)


def demand_from_csv(
    text: str, *, start: date, n_days: int, shift_types: Sequence[ShiftType]
) -> tuple[tuple[ShiftDemand, ...], ...]:
    """Columns `date, shift, minimum, target` and optionally `team_leads` (default 1),
    `patrol_pairs`, `desk`, `mobile`. Every day and shift of the horizon needs a row."""
    codes = [s.code for s in shift_types]
    found: dict[tuple[int, int], ShiftDemand] = {}
    for line, row in _rows(text, ("date", "shift", "minimum", "target")):
        day = _day(row["date"], start, n_days, line)
        if row["shift"] not in codes:
            raise InstanceError(messages.bad_value(line, "shift", row["shift"]))
        posts = tuple(
            (post, count)
            for post, column in POST_COLUMNS
            if (count := _int(row.get(column) or "0", line, column))
        )
        found[(day, codes.index(row["shift"]))] = ShiftDemand(
            minimum=_int(row["minimum"], line, "minimum"),
            target=_int(row["target"], line, "target"),
            team_leads=_int(row.get("team_leads") or "1", line, "team_leads"),
            posts=posts,
        )
    for day in range(n_days):
        for s, shift in enumerate(shift_types):
            if (day, s) not in found:
                raise InstanceError(messages.demand_missing(_date_at(start, day), shift.name))
    return tuple(tuple(found[(d, s)] for s in range(len(codes))) for d in range(n_days))


def _rows(text: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.strip()), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    for name in required:
        if name not in columns:
            raise InstanceError(messages.missing_column(name))
    for line, row in enumerate(reader, start=2):
        yield line, {(k or "").strip(): (v or "").strip() for k, v in row.items()}


def _person(index: Mapping[str, int], staff_id: str, line: int) -> int:
    if staff_id not in index:
        raise InstanceError(messages.unknown_staff_id(line, staff_id))
    return index[staff_id]


def _date(value: str, line: int, column: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise InstanceError(messages.bad_value(line, column, value))


def _day(value: str, start: date, n_days: int, line: int) -> int:
    offset = (_date(value, line, "date") - start).days
    if not 0 <= offset < n_days:
        raise InstanceError(messages.day_outside(line, value))
    return offset


def _date_at(start: date, day: int) -> date:
    return date.fromordinal(start.toordinal() + day)


def _int(value: str, line: int, column: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise InstanceError(messages.bad_value(line, column, value)) from exc
    if number < 0:
        raise InstanceError(messages.bad_value(line, column, value))
    return number


def _choice(enum: type[_Choice], value: str, line: int, column: str) -> _Choice:
    try:
        return enum(value)
    except ValueError as exc:
        raise InstanceError(messages.bad_value(line, column, value)) from exc
