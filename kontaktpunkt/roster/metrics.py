"""Figures of a roster: how well it meets demand, wishes and fairness (for the benchmark and the grid).

- demand_min_met_pct: shifts with at least the minimum staff and the team leads, in % of all shifts;
- target_met_pct: shifts staffed at least at the target, in %;
- wishes_granted_pct: wishes kept (day off: not working; shift: no other shift), in %;
- weekend_spread / late_spread: per aligned 4-week block, the difference between the most and the
  fewest weekend (Saturday, Sunday) resp. late shifts among full-time staff without any absence in
  the block; the largest such difference over the blocks;
- min_free_sundays: the fewest Sundays off of any person over the horizon;
- hours_balance_max_h: the largest |worked + credited - contract| hours of a person over the horizon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kontaktpunkt.roster.domain import (
    Instance,
    Roster,
    WishKind,
    absence_credit_minutes,
    block_ranges,
    contract_minutes,
    fully_available,
    is_sunday,
    is_weekend,
)


@dataclass(frozen=True)
class RosterMetrics:
    demand_min_met_pct: float
    target_met_pct: float
    wishes_granted_pct: float
    weekend_spread: int
    late_spread: int
    min_free_sundays: int
    hours_balance_max_h: float
    assignments: int


def roster_metrics(instance: Instance, roster: Roster) -> RosterMetrics:
    return RosterMetrics(
        demand_min_met_pct=demand_min_met_pct(instance, roster),
        target_met_pct=target_met_pct(instance, roster),
        wishes_granted_pct=wishes_granted_pct(instance, roster),
        weekend_spread=weekend_spread(instance, roster),
        late_spread=late_spread(instance, roster),
        min_free_sundays=min_free_sundays(instance, roster),
        hours_balance_max_h=hours_balance_max_h(instance, roster),
        assignments=len(roster.grid),
    )


def _pct(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else round(100.0 * part / whole, 2)


def _staffing(instance: Instance, roster: Roster) -> dict[tuple[int, str], list[int]]:
    people: dict[tuple[int, str], list[int]] = {}
    for (person, day), code in roster.grid.items():
        people.setdefault((day, code), []).append(person)
    return people


def demand_min_met_pct(instance: Instance, roster: Roster) -> float:
    people = _staffing(instance, roster)
    leads = set(instance.team_leads)
    met = total = 0
    for day in range(instance.n_days):
        for shift, demand in zip(instance.shift_codes, instance.demand[day], strict=True):
            on_shift = people.get((day, shift), [])
            lead_count = sum(1 for p in on_shift if p in leads)
            met += len(on_shift) >= demand.minimum and lead_count >= demand.team_leads
            total += 1
    return _pct(met, total)


def target_met_pct(instance: Instance, roster: Roster) -> float:
    people = _staffing(instance, roster)
    met = total = 0
    for day in range(instance.n_days):
        for shift, demand in zip(instance.shift_codes, instance.demand[day], strict=True):
            met += len(people.get((day, shift), [])) >= demand.target
            total += 1
    return _pct(met, total)


def wishes_granted_pct(instance: Instance, roster: Roster) -> float:
    granted = 0
    for wish in instance.wishes:
        shift = roster.shift_of(wish.person, wish.day)
        granted += shift is None or (wish.kind is WishKind.SHIFT and shift == wish.shift)
    return _pct(granted, len(instance.wishes))


def _spread(instance: Instance, roster: Roster, counts: Callable[[int, str], bool]) -> int:
    """Largest (max - min) over the blocks of per-person counts of assignments that `counts`."""
    worst = 0
    for block in block_ranges(instance.n_days, instance.rules.block_days):
        people = fully_available(instance, block)
        if len(people) < 2:
            continue
        totals = [
            sum(1 for d in block if (code := roster.shift_of(p, d)) and counts(d, code))
            for p in people
        ]
        worst = max(worst, max(totals) - min(totals))
    return worst


def weekend_spread(instance: Instance, roster: Roster) -> int:
    return _spread(instance, roster, lambda day, _code: is_weekend(instance, day))


def late_spread(instance: Instance, roster: Roster) -> int:
    late = {s.code for s in instance.shift_types if s.late}
    return _spread(instance, roster, lambda _day, code: code in late)


def free_sundays(instance: Instance, roster: Roster, person: int) -> int:
    return sum(
        1
        for d in range(instance.n_days)
        if is_sunday(instance, d) and roster.shift_of(person, d) is None
    )


def min_free_sundays(instance: Instance, roster: Roster) -> int:
    return min(free_sundays(instance, roster, p) for p in range(len(instance.staff)))


def hours_balance_minutes(instance: Instance, roster: Roster, person: int) -> int:
    """Worked plus credited minus contract minutes over the whole horizon."""
    days = range(instance.n_days)
    worked = sum(
        instance.shift(roster.grid[(person, d)]).minutes for d in days if (person, d) in roster.grid
    )
    return (
        worked
        + absence_credit_minutes(instance, person, days)
        - contract_minutes(instance, person, days)
    )


def hours_balance_max_h(instance: Instance, roster: Roster) -> float:
    worst = max(abs(hours_balance_minutes(instance, roster, p)) for p in range(len(instance.staff)))
    return round(worst / 60, 1)
