"""The CP-SAT model of one window of days - shared by the solver (whole horizon or rolling windows)
and the re-plan. The validator does not use it.

One Boolean per person, day and shift a person may work (none on absence days, none for a shift
longer than `max_daily_minutes`, none that would break the rest time after the carried-in shift).

Hard: one shift a day; no shift pair that breaks the rest time on consecutive days; at most
`max_consecutive_days` in every run of one more day (the run carried in and a fixed run after the
window included); the free Sundays still owed in the window; contract hours of every block inside the
window within the tolerance (a block cut off by the window's end: prorated, with one more shift of
tolerance); the team leads and the minimum staff of every shift, in patrol pairs: the people on a
shift are its special posts (team leads, desk, Mobile Wache) plus 2 x an integer number of pairs,
at least the pairs of the minimum, so that nobody is left to walk alone (a shift without patrol
demand takes pairs too, or nobody beyond its posts). Staffing and team leads carry slack variables
of by far the highest weight, so that a short demand yields a roster with named gaps instead of a
bare "infeasible"; the target (soft) stays reachable as it is a lower bound only.

Soft (`Window.soft`): staff below the target, wishes not granted, the spread (most - fewest) of
weekend and of late shifts among full-time staff fully available in each committed block, the
carried hours balance outside +- half a shift, and stable teams: days on which a person and their
preferred patrol partner (`Instance.partners`) both work, but on different shifts. Every soft term
is zero at best, so a roster that meets every soft goal is proven optimal at once. Hours bounds
are rounded to what whole shifts can reach, which keeps the linear relaxation tight enough to prove
the bound of the others quickly. The linear relaxation does not see parity: when the hours bands
pin everyone's shifts up to a block end to counts whose sum cannot be made of whole pairs, a
redundant cut says that some band or shortfall gives (`_pairs_parity`), so that such an optimum is
proven too.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from kontaktpunkt.roster.domain import (
    Instance,
    WishKind,
    absence_credit_minutes,
    block_ranges,
    contract_minutes,
    fully_available,
    is_sunday,
    is_weekend,
    rest_conflicts,
)


@dataclass(frozen=True)
class Weights:
    """Objective weights, from the most to the least important goal."""

    shortfall: int = 1_000_000  # per person below the hard minimum (or team lead missing)
    target: int = 1_000  # per person below the target
    wish: int = 200  # per wish not granted
    weekend_spread: int = 50  # per shift of spread in a block
    late_spread: int = 10  # per shift of spread in a block
    hours_band: int = 1  # per shift by which a carried balance leaves +- `band_minutes`
    partner_split: int = 5  # per day a person and their preferred partner work different shifts
    band_minutes: int = 240  # the hours balance aimed at: within +- half a shift
    weekend_spread_free: int = 0  # spread of weekend shifts that costs nothing
    late_spread_free: int = 0  # spread of late shifts that costs nothing


@dataclass(frozen=True)
class PersonState:
    """Where a person stands on the first day of a window."""

    last_shift: str | None = None  # on the day before
    run: int = 0  # working days in a row up to the day before
    balance: int = 0  # minutes worked + credited - contract in the blocks before


@dataclass(frozen=True)
class FixedAfter:
    """Fixed assignments right after the window (re-plan): the first day's shift and the run of
    working days that starts there."""

    first_shift: str | None = None
    run: int = 0


@dataclass(frozen=True)
class Window:
    days: range
    committed: range
    states: tuple[PersonState, ...]
    free_sundays_min: tuple[int, ...]  # Sundays off each person still needs inside the window
    after: tuple[FixedAfter, ...] = ()
    soft: bool = True


@dataclass(frozen=True)
class Band:
    """The soft band on a person's minutes worked from the window's start to a block end."""

    low: int
    high: int
    over: cp_model.IntVar
    under: cp_model.IntVar


@dataclass
class WindowModel:
    instance: Instance
    window: Window
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    shortfall: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    lead_shortfall: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    pairs: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    bands: dict[int, list[Band]] = field(default_factory=dict)  # block end → one band a person
    terms: list[cp_model.LinearExprT] = field(default_factory=list)
    floor: int = 0  # a lower bound of the objective that the terms' relaxation does not see

    def shifts_of(self, person: int, day: int) -> list[cp_model.IntVar]:
        return [
            var
            for s in range(len(self.instance.shift_types))
            if (var := self.x.get((person, day, s))) is not None
        ]

    def minutes(self, person: int, days: range) -> cp_model.LinearExprT:
        pairs = [
            (var, shift.minutes)
            for d in days
            for s, shift in enumerate(self.instance.shift_types)
            if (var := self.x.get((person, d, s))) is not None
        ]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in pairs], [m for _, m in pairs])

    def grid(self, solver: cp_model.CpSolver, days: range) -> dict[tuple[int, int], str]:
        codes = self.instance.shift_codes
        return {
            (p, d): codes[s]
            for (p, d, s), var in self.x.items()
            if d in days and solver.boolean_value(var)
        }

    def hint(self, grid: dict[tuple[int, int], str]) -> None:
        """Start the search from a roster (e.g. the greedy one); it need not be valid. The pairs
        and gaps of each shift are hinted as the roster's people make them."""
        codes = self.instance.shift_codes
        count: Counter[tuple[int, int]] = Counter()
        for (p, d, s), var in self.x.items():
            planned = grid.get((p, d)) == codes[s]
            self.model.add_hint(var, planned)
            count[(d, s)] += planned
        for (d, s), pairs in self.pairs.items():
            demand = self.instance.demand[d][s]
            walkers = max(count[(d, s)] - demand.special_posts, 2 * demand.pairs_minimum)
            self.model.add_hint(pairs, (walkers + 1) // 2)
            gap = demand.special_posts + 2 * ((walkers + 1) // 2) - count[(d, s)]
            self.model.add_hint(self.shortfall[(d, s)], gap)

    def minimize(self, extra: list[cp_model.LinearExprT] | None = None) -> None:
        """Minimise the terms (all of them non-negative) and `extra` (non-negative too)."""
        objective = cp_model.LinearExpr.sum([*self.terms, *(extra or [])])
        if self.floor:  # a variable for the objective, so that the bound starts at the floor
            value = self.model.new_int_var(self.floor, OBJECTIVE_MAX, "objective")
            self.model.add(value == objective)
            objective = value
        self.model.minimize(objective)


OBJECTIVE_MAX = 2**50  # far above any objective, far below an overflow
SUBSOLVERS = ("pseudo_costs",)  # proves the bound of these models far sooner than default_lp
SEED = 20250101


def cp_solver(
    *,
    time_limit_s: float,
    workers: int = 2,
    seed: int = SEED,
    subsolvers: tuple[str, ...] = SUBSOLVERS,
) -> cp_model.CpSolver:
    """A CP-SAT solver as every roster solve uses it: few workers, a fixed seed, a time limit."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.subsolvers.extend(subsolvers)
    return solver


def window_model(instance: Instance, window: Window, weights: Weights) -> WindowModel:
    wm = WindowModel(instance, window)
    _variables(wm)
    _rest(wm)
    _consecutive(wm)
    _free_sundays(wm)
    _hours(wm, weights)
    _demand(wm, weights)
    if window.soft:
        _pairs_parity(wm, weights)
        _wishes(wm, weights)
        _spread(wm, weights)
        _partners(wm, weights)
    return wm


def _variables(wm: WindowModel) -> None:
    instance, window = wm.instance, wm.window
    conflicts = rest_conflicts(instance)
    allowed = [
        (s, shift)
        for s, shift in enumerate(instance.shift_types)
        if shift.minutes <= instance.rules.max_daily_minutes
    ]
    for p in range(len(instance.staff)):
        before = window.states[p].last_shift
        for d in window.days:
            if (p, d) in instance.absent:
                continue
            for s, shift in allowed:
                if d == window.days.start and (before, shift.code) in conflicts:
                    continue
                wm.x[(p, d, s)] = wm.model.new_bool_var(f"x_{p}_{d}_{shift.code}")
            if len(wm.shifts_of(p, d)) > 1:
                wm.model.add_at_most_one(wm.shifts_of(p, d))


def _rest(wm: WindowModel) -> None:
    instance, window = wm.instance, wm.window
    codes = instance.shift_codes
    conflicts = rest_conflicts(instance)
    last = window.days.stop - 1
    for p in range(len(instance.staff)):
        for d in window.days:
            for a, b in conflicts:
                first = wm.x.get((p, d, codes.index(a)))
                if first is None:
                    continue
                if d < last and (second := wm.x.get((p, d + 1, codes.index(b)))) is not None:
                    wm.model.add_bool_or([first.Not(), second.Not()])
                elif d == last and window.after and window.after[p].first_shift == b:
                    wm.model.add(first == 0)


def _consecutive(wm: WindowModel) -> None:
    """Every max+1 consecutive days hold a day off; the runs before and after the window count."""
    instance, window = wm.instance, wm.window
    limit = instance.rules.max_consecutive_days
    days = window.days
    for p in range(len(instance.staff)):
        run_in = min(window.states[p].run, limit)
        if run_in:
            head = range(days.start, min(days.stop, days.start + limit + 1 - run_in))
            _at_most(wm, p, head, limit - run_in)
        for first in range(days.start, days.stop - limit):
            _at_most(wm, p, range(first, first + limit + 1), limit)
        run_out = min(window.after[p].run, limit) if window.after else 0
        if run_out:
            tail = range(max(days.start, days.stop - (limit + 1 - run_out)), days.stop)
            _at_most(wm, p, tail, limit - run_out)


def _at_most(wm: WindowModel, person: int, days: range, count: int) -> None:
    shifts = [v for d in days for v in wm.shifts_of(person, d)]
    if len(shifts) > count:
        wm.model.add(cp_model.LinearExpr.sum(shifts) <= count)


def _free_sundays(wm: WindowModel) -> None:
    instance, window = wm.instance, wm.window
    window_sundays = [d for d in window.days if is_sunday(instance, d)]
    for p in range(len(instance.staff)):
        needed = window.free_sundays_min[p]
        if needed > 0:
            worked = [v for d in window_sundays for v in wm.shifts_of(p, d)]
            wm.model.add(cp_model.LinearExpr.sum(worked) <= len(window_sundays) - needed)


def _hours(wm: WindowModel, weights: Weights) -> None:
    """Contract hours per block inside the window; in committed blocks a soft band on the carried
    balance. Bounds are rounded to what whole shifts can reach, which keeps the LP tight."""
    instance, window = wm.instance, wm.window
    blocks = block_ranges(instance.n_days, instance.rules.block_days)
    tolerance = instance.rules.hours_tolerance_minutes
    step = math.gcd(*(s.minutes for s in instance.shift_types))
    for p in range(len(instance.staff)):
        worked_so_far: list[cp_model.LinearExprT] = []
        offset = window.states[p].balance
        for block in blocks:
            part = range(max(block.start, window.days.start), min(block.stop, window.days.stop))
            if not part:
                continue
            due = contract_minutes(instance, p, part) - absence_credit_minutes(instance, p, part)
            worked = wm.minutes(p, part)
            if part != block:
                extra = max(s.minutes for s in instance.shift_types)
                _within(wm, worked, due - tolerance - extra, due + tolerance + extra, step)
                continue
            _within(wm, worked, due - tolerance, due + tolerance, step)
            worked_so_far.append(worked)
            offset -= due
            if window.soft and block.stop <= window.committed.stop:
                total = cp_model.LinearExpr.sum(worked_so_far)
                band = _band(wm, weights, total, offset, step, f"{p}_{block.start}")
                wm.bands.setdefault(block.stop, []).append(band)


def _within(wm: WindowModel, worked: cp_model.LinearExprT, low: int, high: int, step: int) -> None:
    wm.model.add_linear_constraint(worked, -(-low // step) * step, high // step * step)


def _band(
    wm: WindowModel,
    weights: Weights,
    worked: cp_model.LinearExpr,
    offset: int,
    step: int,
    name: str,
) -> Band:
    """Penalise each `step` of minutes by which the carried balance (offset + worked) leaves
    +- `band_minutes`."""
    band = weights.band_minutes
    high = (band - offset) // step * step
    low = -((band + offset) // step) * step
    longest = max(s.minutes for s in wm.instance.shift_types)
    limit = (longest * len(wm.window.days) + abs(offset) + band) // step + 1
    over = wm.model.new_int_var(0, limit, f"hours_over_{name}")
    under = wm.model.new_int_var(0, limit, f"hours_under_{name}")
    wm.model.add(worked <= high + step * over)
    wm.model.add(worked >= low - step * under)
    wm.terms.append(weights.hours_band * (over + under))
    return Band(low, high, over, under)


def _demand(wm: WindowModel, weights: Weights) -> None:
    """Minimum staff in whole patrol pairs, team leads, and (soft) the target of every shift."""
    instance, window = wm.instance, wm.window
    leads = set(instance.team_leads)
    for d in window.days:
        for s, demand in enumerate(instance.demand[d]):
            on_shift = [
                v for p in range(len(instance.staff)) if (v := wm.x.get((p, d, s))) is not None
            ]
            lead_vars = [v for p in leads if (v := wm.x.get((p, d, s))) is not None]
            count = cp_model.LinearExpr.sum(on_shift)
            _staff_in_pairs(wm, weights, d, s, count, len(on_shift))
            if demand.team_leads:
                lead_short = wm.model.new_int_var(0, demand.team_leads, f"lead_short_{d}_{s}")
                wm.model.add(cp_model.LinearExpr.sum(lead_vars) + lead_short >= demand.team_leads)
                wm.lead_shortfall[(d, s)] = lead_short
                wm.terms.append(weights.shortfall * lead_short)
            if window.soft and demand.target > demand.minimum:
                below = wm.model.new_int_var(0, demand.target, f"below_{d}_{s}")
                wm.model.add(count + below >= demand.target)
                wm.terms.append(weights.target * below)


def _staff_in_pairs(
    wm: WindowModel, weights: Weights, d: int, s: int, count: cp_model.LinearExpr, most: int
) -> None:
    """People on the shift = the special posts + 2 x patrol pairs, with at least the minimum; the
    people missing for that (`short`, weighted like a missing person) make it always feasible.
    `short` is 1 above the gap to the minimum only when an odd number would be left to patrol."""
    demand = wm.instance.demand[d][s]
    specials, pairs_min = demand.special_posts, demand.pairs_minimum
    floor = specials + 2 * pairs_min  # the minimum rounded up to whole pairs
    short = wm.model.new_int_var(0, floor + 1, f"short_{d}_{s}")
    pairs = wm.model.new_int_var(pairs_min, max(pairs_min, (most + 1) // 2), f"pairs_{d}_{s}")
    wm.model.add(count + short == specials + 2 * pairs)
    wm.shortfall[(d, s)] = short
    wm.pairs[(d, s)] = pairs
    wm.terms.append(weights.shortfall * short)


def _pairs_parity(wm: WindowModel, weights: Weights) -> None:
    """Redundant cuts for the bound. Patrol pairs make the people on every shift plus its
    shortfall congruent to its special posts mod 2, and so the shifts worked up to a block end.
    When the hours bands leave each person one count of shifts there and the counts add up to the
    other parity, some band or some shortfall must give: their sum is at least 1, and so the
    objective is at least one band's weight more (`WindowModel.floor`, which also counts each
    further block end of the kind). The solver would find that out by search only: the linear
    relaxation does not see parity."""
    instance, window = wm.instance, wm.window
    minutes = {s.minutes for s in instance.shift_types}
    if len(minutes) != 1:
        return
    length = minutes.pop()
    full = [
        block
        for block in block_ranges(instance.n_days, instance.rules.block_days)
        if window.days.start <= block.start and block.stop <= window.days.stop
    ]
    for stop, bands in wm.bands.items():
        if len(bands) != len(instance.staff) or any(b.low != b.high for b in bands):
            continue
        days = [d for block in full if block.stop <= stop for d in block]
        specials = sum(demand.special_posts for d in days for demand in instance.demand[d])
        if (sum(b.high for b in bands) // length - specials) % 2 == 0:
            continue
        give = [v for b in bands for v in (b.over, b.under)]
        give += [wm.shortfall[(d, s)] for d in days for s in range(len(instance.shift_types))]
        wm.model.add(cp_model.LinearExpr.sum(give) >= 1)
        wm.floor += min(weights.hours_band, weights.shortfall)


def _wishes(wm: WindowModel, weights: Weights) -> None:
    instance, window = wm.instance, wm.window
    codes = instance.shift_codes
    for wish in instance.wishes:
        if wish.day not in window.days:
            continue
        for s, code in enumerate(codes):
            var = wm.x.get((wish.person, wish.day, s))
            if var is not None and not (wish.kind is WishKind.SHIFT and wish.shift == code):
                wm.terms.append(weights.wish * var)


def _partners(wm: WindowModel, weights: Weights) -> None:
    """Stable teams: penalise each day on which a person and their preferred partner both work, but
    on different shifts (one term per pair, whether one or both name the other)."""
    instance, window = wm.instance, wm.window
    staff = set(range(len(instance.staff)))
    pairs = {(min(p, q), max(p, q)) for p, q in instance.partners if p != q and {p, q} <= staff}
    shifts = range(len(instance.shift_types))
    for p, q in sorted(pairs) if weights.partner_split else ():
        for d in window.days:
            mine = {s: v for s in shifts if (v := wm.x.get((p, d, s))) is not None}
            theirs = {s: v for s in shifts if (v := wm.x.get((q, d, s))) is not None}
            apart = [
                (var, other)
                for s, var in mine.items()
                if (other := [v for t, v in theirs.items() if t != s])
            ]
            if not apart:
                continue
            split = wm.model.new_bool_var(f"split_{p}_{q}_{d}")
            for var, other in apart:
                wm.model.add(split >= var + cp_model.LinearExpr.sum(other) - 1)
            wm.terms.append(weights.partner_split * split)


def _spread(wm: WindowModel, weights: Weights) -> None:
    instance, window = wm.instance, wm.window
    every = list(range(len(instance.shift_types)))
    late = [s for s, shift in enumerate(instance.shift_types) if shift.late]
    for block in block_ranges(instance.n_days, instance.rules.block_days):
        if block.start < window.committed.start or block.stop > window.committed.stop:
            continue
        people = fully_available(instance, block)
        if len(people) < 2:
            continue
        weekend = [d for d in block if is_weekend(instance, d)]
        _even(
            wm,
            [_count(wm, p, weekend, every) for p in people],
            (weights.weekend_spread, weights.weekend_spread_free),
            f"weekend_{block.start}",
        )
        if late:
            _even(
                wm,
                [_count(wm, p, list(block), late) for p in people],
                (weights.late_spread, weights.late_spread_free),
                f"late_{block.start}",
            )


def _count(wm: WindowModel, person: int, days: list[int], shifts: list[int]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(
        [v for d in days for s in shifts if (v := wm.x.get((person, d, s))) is not None]
    )


def _even(
    wm: WindowModel, counts: list[cp_model.LinearExpr], weight_free: tuple[int, int], name: str
) -> None:
    """Penalise the most minus the fewest of `counts`, beyond a spread that is free."""
    weight, free = weight_free
    if weight == 0:
        return
    most = wm.instance.n_days
    high = wm.model.new_int_var(0, most, f"{name}_max")
    low = wm.model.new_int_var(0, most, f"{name}_min")
    for count in counts:
        wm.model.add(high >= count)
        wm.model.add(low <= count)
    wm.model.add(high >= low)
    if free == 0:
        wm.terms.append(weight * (high - low))
        return
    excess = wm.model.new_int_var(0, most, f"{name}_excess")
    wm.model.add(excess >= high - low - free)
    wm.terms.append(weight * excess)
