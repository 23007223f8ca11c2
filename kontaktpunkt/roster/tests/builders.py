"""Small hand-built instances and rosters for the roster tests.

`tiny_instance()` is a week from Monday 6 January 2025: six people working 24 h a week (people 0-3
are team leads), early and late shifts, one person with a team lead on every shift (no late shift
on Sunday), blocks of 7 days. `tiny_grid()` is a roster of it that keeps every rule (people 4 and 5
walk the patrol together, beside the team lead of the shift):

    person  Mo Tu We Th Fr Sa Su
    0       E  E  E  .  .  .  .
    1       L  L  L  .  .  .  .
    2       .  .  .  E  E  E  E
    3       .  .  .  L  L  L  .
    4       E  E  .  .  .  .  .
    5       E  E  .  .  .  .  .
"""

from __future__ import annotations

from datetime import date, time

from kontaktpunkt.roster.domain import (
    Instance,
    Qualification,
    Roster,
    Rules,
    ShiftDemand,
    ShiftType,
    StaffMember,
)

MONDAY = date(2025, 1, 6)
EARLY = ShiftType("E", "Früh", time(6), time(14))
LATE = ShiftType("L", "Spät", time(14), time(22), late=True)
ONE = ShiftDemand(minimum=1, target=1, team_leads=1)
NONE = ShiftDemand(minimum=0, target=0, team_leads=0)

Grid = dict[tuple[int, int], str]


def tiny_instance(days: int = 7, rules: Rules | None = None) -> Instance:
    lead = frozenset({Qualification.TEAM_LEAD})
    staff = tuple(
        StaffMember(str(p), f"KOD-{p:02d}", 24 * 60, lead if p < 4 else frozenset())
        for p in range(6)
    )
    return Instance(
        name="Klein",
        start=MONDAY,
        n_days=days,
        staff=staff,
        shift_types=(EARLY, LATE),
        demand=tuple((ONE, NONE if d % 7 == 6 else ONE) for d in range(days)),
        rules=rules or Rules(block_days=7),
    )


def tiny_grid() -> Grid:
    rows = {
        0: "EEE....",
        1: "LLL....",
        2: "...EEEE",
        3: "...LLL.",
        4: "EE.....",
        5: "EE.....",
    }
    return grid_from_rows(rows)


def grid_from_rows(rows: dict[int, str]) -> Grid:
    """`{person: "EL.E..."}` with one letter per day, `.` for a day off."""
    return {
        (person, day): code
        for person, row in rows.items()
        for day, code in enumerate(row)
        if code != "."
    }


def roster(grid: Grid) -> Roster:
    return Roster.from_grid(grid)
