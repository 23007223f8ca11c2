"""roster.*: the CP-SAT duty roster on the shared instances KOD-48 and KOD-48-T100, beside a greedy rota.

Pure Python, no database. Everything runs on 2 CP-SAT workers with a fixed seed
(kontaktpunkt.roster.model.cp_solver); every roster the solver or the re-plan returns is checked by the
independent validator, and so is every greedy rota (its violations are the baseline of
roster.validator_violations).

- roster.d28_optimal_s / roster.d84_optimal_s: KOD-48's first 28 / 84 days as one model, solved to
  proven optimum; the median seconds of the runs (after a warm-up for 28 days). A run that is not
  proven optimal or not valid makes the figure 999999.
- roster.d365_*: the whole year as a rolling horizon (35-day windows, 28 committed, 60 s limit),
  wall-clock seconds including the greedy start hint; the figures are the medians over the runs,
  each beside the greedy rota's (alternating with it).
- roster.stress_d365_violations: KOD-48-T100's year (time limit 120 s: no time target), validator
  violations plus shifts left below the minimum.
- roster.replan_sick_3d_*: seeded sick calls of 3 days on the published KOD-48 year (a person who
  works on at least one of the days); median seconds, most changed assignments.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from statistics import median as _median

from bench.common import Result, median, spread
from kontaktpunkt.roster.domain import Instance, Roster
from kontaktpunkt.roster.greedy import roster_greedy
from kontaktpunkt.roster.instance import instance_bundled, instance_head
from kontaktpunkt.roster.metrics import RosterMetrics, roster_metrics
from kontaktpunkt.roster.replan import roster_replan_sick
from kontaktpunkt.roster.solver import SolverOptions, Status, roster_solve
from kontaktpunkt.roster.validator import roster_validate

RUNS_28 = 5
RUNS_84 = 3
RUNS_365 = 3
SICK_CALLS = 5
SICK_SEED = 20_251_121
INVALID = 999_999.0
WHOLE = SolverOptions(time_limit_s=60.0)
YEAR = SolverOptions(time_limit_s=60.0, window_days=35)
STRESS = SolverOptions(time_limit_s=120.0, window_days=35)


@dataclass
class _Tally:
    """Validator violations over every roster the benchmark produced."""

    solver_rosters: int = 0
    solver_violations: int = 0
    greedy_rosters: int = 0
    greedy_violations: int = 0

    def solver(self, instance: Instance, roster: Roster | None) -> int:
        found = 1 if roster is None else len(roster_validate(instance, roster))
        self.solver_rosters += 1
        self.solver_violations += found
        return found

    def greedy(self, instance: Instance, roster: Roster) -> int:
        found = len(roster_validate(instance, roster))
        self.greedy_rosters += 1
        self.greedy_violations += found
        return found


@dataclass
class _Solve:
    seconds: float
    status: Status
    roster: Roster | None
    violations: int


def _solve(instance: Instance, options: SolverOptions, tally: _Tally) -> _Solve:
    start = time.perf_counter()
    result = roster_solve(instance, options=options)
    seconds = time.perf_counter() - start
    return _Solve(seconds, result.status, result.roster, tally.solver(instance, result.roster))


def _greedy(instance: Instance) -> tuple[float, Roster]:
    start = time.perf_counter()
    rota = roster_greedy(instance)
    return time.perf_counter() - start, rota


def _optimal_figure(
    name: str, kod48: Instance, days: int, runs: int, warmup: int, tally: _Tally
) -> Result:
    instance = instance_head(kod48, days)
    for _ in range(warmup):
        roster_solve(instance, options=WHOLE)
    solves: list[_Solve] = []
    greedy_s: list[float] = []
    for _ in range(runs):
        solves.append(_solve(instance, WHOLE, tally))
        seconds, rota = _greedy(instance)
        greedy_s.append(seconds)
    greedy_violations = tally.greedy(instance, rota)
    proven = sum(1 for s in solves if s.status is Status.OPTIMAL and s.violations == 0)
    times = [s.seconds for s in solves]
    target = "<= 5" if days == 28 else "<= 60"
    return Result(
        name=name,
        value=round(median(times), 3) if proven == runs else INVALID,
        unit="s",
        target=target,
        runs=runs,
        how=(
            f"KOD-48, first {days} days as one CP-SAT model (48 staff x {days} days x 2 shifts), "
            f"2 workers, fixed seed, greedy rota as start hint; proven optimal and valid in "
            f"{proven} of {runs} runs; median wall-clock seconds incl. model build"
            f"{' after a warm-up' if warmup else ''}. Greedy rota of the same days in the same run: "
            f"{median(greedy_s):.3f} s, {greedy_violations} validator violations."
        ),
        spread=spread(times),
        extra={"proven_optimal_runs": proven, "greedy_s": round(median(greedy_s), 4)},
    )


@dataclass
class _Year:
    seconds: list[float]
    metrics: list[RosterMetrics]
    valid: int
    roster: Roster | None
    greedy: RosterMetrics
    greedy_s: list[float]
    greedy_violations: int


def _year(kod48: Instance, tally: _Tally) -> _Year:
    seconds: list[float] = []
    metrics: list[RosterMetrics] = []
    greedy_s: list[float] = []
    valid = 0
    published: Roster | None = None
    for _ in range(RUNS_365):
        solve = _solve(kod48, YEAR, tally)
        seconds.append(solve.seconds)
        if solve.roster is not None:
            metrics.append(roster_metrics(kod48, solve.roster))
            published = published or solve.roster
        valid += solve.violations == 0 and solve.status is not Status.SHORT
        g_seconds, rota = _greedy(kod48)
        greedy_s.append(g_seconds)
    return _Year(
        seconds=seconds,
        metrics=metrics,
        valid=valid,
        roster=published,
        greedy=roster_metrics(kod48, rota),
        greedy_s=greedy_s,
        greedy_violations=tally.greedy(kod48, rota),
    )


def _year_figures(year: _Year) -> list[Result]:
    how = (
        f"KOD-48, 365 days, rolling horizon: 13 windows of one 4-week block plus 7 days ahead (35 "
        f"days, 28 committed), carrying rest, run, free Sundays and hours balance; 60 s limit, 2 "
        f"workers, fixed seed. {year.valid} of {RUNS_365} runs valid (0 violations). Median of "
        f"{RUNS_365} runs, alternating with the greedy rota ({median(year.greedy_s):.3f} s, "
        f"{year.greedy_violations} violations), whose figure is the baseline."
    )
    figures = [
        ("demand_min_met_pct", "%", "== 100"),
        ("target_met_pct", "%", ">= 99"),
        ("wishes_granted_pct", "%", ">= 99"),
        ("weekend_spread", "shifts", "<= 1"),
        ("late_spread", "shifts", "<= 4"),
        ("min_free_sundays", "days", ">= 15"),
    ]
    names = {"weekend_spread": "weekend_spread_per_4w", "late_spread": "late_spread_per_4w"}
    results = [
        Result(
            name="roster.d365_valid_s",
            value=round(median(year.seconds), 2) if year.valid == RUNS_365 else INVALID,
            unit="s",
            target="<= 60",
            runs=RUNS_365,
            how=how,
            spread=spread(year.seconds),
        )
    ]
    for field, unit, target in figures:
        values = [float(getattr(m, field)) for m in year.metrics]
        baseline = float(getattr(year.greedy, field))
        results.append(
            Result(
                name=f"roster.d365_{names.get(field, field)}",
                value=round(_median(values), 2),
                unit=unit,
                target=target,
                runs=len(values),
                baseline=None if field == "min_free_sundays" else baseline,
                how=f"{how} Greedy: {baseline:g}.",
                spread=spread(values, unit),
            )
        )
    return results


def _stress_figure(tally: _Tally) -> Result:
    stress = instance_bundled("kod48_t100")
    solve = _solve(stress, STRESS, tally)
    _, rota = _greedy(stress)
    greedy_violations = tally.greedy(stress, rota)
    figures = roster_metrics(stress, solve.roster) if solve.roster else None
    detail = (
        f"target {figures.target_met_pct} %, wishes {figures.wishes_granted_pct} %, weekend "
        f"spread {figures.weekend_spread}, late spread {figures.late_spread}, min free Sundays "
        f"{figures.min_free_sundays}"
        if figures
        else "no roster"
    )
    return Result(
        name="roster.stress_d365_violations",
        value=solve.violations,
        unit="count",
        target="== 0",
        runs=1,
        baseline=greedy_violations,
        how=(
            f"KOD-48-T100 (target staffing at ~99.4 % of contract capacity), 365 days, rolling "
            f"horizon as for KOD-48 with a 120 s limit (no time target): {solve.seconds:.1f} s, "
            f"status {solve.status}, {detail}. Baseline: the greedy rota's violations."
        ),
        spread="—",
    )


def _sick_calls(kod48: Instance, roster: Roster) -> list[tuple[int, int]]:
    """(person, first day) of seeded sick calls on days the person works at least once."""
    rng = random.Random(SICK_SEED)
    calls: list[tuple[int, int]] = []
    while len(calls) < SICK_CALLS + 1:
        person, first = rng.randrange(len(kod48.staff)), rng.randrange(kod48.n_days - 3)
        if any(roster.shift_of(person, d) for d in range(first, first + 3)):
            calls.append((person, first))
    return calls


def _replan_figures(kod48: Instance, published: Roster, tally: _Tally) -> list[Result]:
    seconds: list[float] = []
    changes: list[int] = []
    for number, (person, first) in enumerate(_sick_calls(kod48, published)):
        start = time.perf_counter()
        result = roster_replan_sick(kod48, published, person=person, days=range(first, first + 3))
        elapsed = time.perf_counter() - start
        tally.solver(result.instance, result.roster)
        if number == 0:
            continue  # warm-up
        seconds.append(elapsed)
        changes.append(len(result.changes))
    how = (
        f"{SICK_CALLS} sick calls of 3 days (seed {SICK_SEED}; person and days at random, the "
        f"person working on at least one of them) on the first valid KOD-48 year roster, after one "
        f"warm-up call: the hours blocks that hold the sick days are re-planned, the rest fixed; "
        f"objective: fewest changed person-days. Changes per call: {changes}."
    )
    return [
        Result(
            name="roster.replan_sick_3d_s",
            value=round(median(seconds), 3),
            unit="s",
            target="<= 1",
            runs=len(seconds),
            how=how,
            spread=spread(seconds),
        ),
        Result(
            name="roster.replan_sick_3d_changes",
            value=max(changes),
            unit="count",
            target="<= 6",
            runs=len(changes),
            how=f"{how} The figure is the most changes of any call.",
            spread=f"min {min(changes)}, max {max(changes)}",
        ),
    ]


def _validator_figure(tally: _Tally) -> Result:
    return Result(
        name="roster.validator_violations",
        value=tally.solver_violations,
        unit="count",
        target="== 0",
        runs=tally.solver_rosters,
        baseline=tally.greedy_violations,
        how=(
            f"Violations the independent validator finds in all {tally.solver_rosters} rosters the "
            f"solver and the re-plan returned in this run (a missing roster counts 1). Baseline: "
            f"violations in the {tally.greedy_rosters} greedy rotas of the same run."
        ),
        spread="—",
    )


def run() -> list[Result]:
    kod48 = instance_bundled("kod48")
    tally = _Tally()
    results = [
        _optimal_figure("roster.d28_optimal_s", kod48, 28, RUNS_28, 1, tally),
        _optimal_figure("roster.d84_optimal_s", kod48, 84, RUNS_84, 0, tally),
    ]
    year = _year(kod48, tally)
    results += _year_figures(year)
    results.append(_stress_figure(tally))
    if year.roster is not None:
        results += _replan_figures(kod48, year.roster, tally)
    results.append(_validator_figure(tally))
    return results
