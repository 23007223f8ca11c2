from __future__ import annotations

from dataclasses import replace

from kontaktpunkt.roster.domain import Absence, Roster, Rules, ShiftDemand
from kontaktpunkt.roster.metrics import roster_metrics
from kontaktpunkt.roster.solver import Progress, SolverOptions, Status, roster_solve
from kontaktpunkt.roster.tests.builders import NONE, tiny_instance
from kontaktpunkt.roster.validator import roster_validate

QUICK = SolverOptions(time_limit_s=20)


def test_a_kod48_week_is_solved_to_proven_optimum_without_violations(kod48_week):
    result = roster_solve(kod48_week, options=QUICK)

    assert result.status is Status.OPTIMAL
    assert result.objective == result.bound
    assert result.roster is not None
    assert roster_validate(kod48_week, result.roster) == ()
    figures = roster_metrics(kod48_week, result.roster)
    assert (figures.target_met_pct, figures.wishes_granted_pct) == (100.0, 100.0)


def test_a_rolling_horizon_carries_rest_runs_and_sundays_across_windows(kod48_fortnight):
    weekly = replace(kod48_fortnight, rules=replace(kod48_fortnight.rules, block_days=7))

    # Each window commits one week and looks a week ahead (so it sees the next Sunday).
    result = roster_solve(weekly, options=replace(QUICK, window_days=14))

    assert result.windows == 2
    assert result.status is Status.FEASIBLE  # a rolling horizon proves no optimum
    assert result.roster is not None
    assert {a.day for a in result.roster.assignments} == set(range(14))
    assert roster_validate(weekly, result.roster) == ()


def test_progress_reports_each_improving_solution_with_its_bound():
    seen: list[Progress] = []

    result = roster_solve(tiny_instance(), options=QUICK, progress=seen.append)

    assert seen
    assert seen[-1].objective == result.objective
    assert all(p.bound <= p.objective for p in seen)
    assert str(seen[0]).startswith("Abschnitt 1/1, ")


def test_demand_above_the_staff_is_explained_shift_by_shift_in_german():
    base = tiny_instance()
    demand = list(base.demand)
    demand[0] = (ShiftDemand(minimum=7, target=7, team_leads=1), demand[0][1])

    result = roster_solve(replace(base, demand=tuple(demand)), options=QUICK)

    assert result.status is Status.SHORT
    assert [(s.day, s.shift, s.missing) for s in result.shortfalls] == [(0, "E", 2)]
    assert result.explanation[0] == (
        "Der Bedarf ist nicht erfüllbar: Auf einer Schicht fehlen insgesamt 2 Einsätze zur "
        "Mindestbesetzung."
    )
    assert result.explanation[1].startswith(
        "Früh am Mo 06.01.2025: 2 Kräfte zu wenig für die Mindestbesetzung von 7 "
        "(0 Personen abwesend, 6 verfügbar;"
    )
    assert result.roster is not None  # the roster with the gap is still there to show


def test_a_missing_team_lead_is_explained():
    instance = replace(
        tiny_instance(),
        absences=tuple(Absence(p, 0) for p in range(4)),  # every team lead away on Monday
    )

    result = roster_solve(instance, options=QUICK)

    assert result.status is Status.SHORT
    assert "Früh am Mo 06.01.2025: 1 Teamleitung(en) fehlen (0 Teamleitungen" in "".join(
        result.explanation
    )


def test_rules_that_contradict_each_other_name_the_person_instead_of_a_bare_infeasible():
    unpaid = tuple(Absence(4, d, credit_minutes=0) for d in range(1, 7))
    instance = replace(tiny_instance(), absences=unpaid)  # 24 h due, one day left to work

    result = roster_solve(instance, options=QUICK)

    assert result.status is Status.NO_SOLUTION
    assert result.roster is None
    assert result.explanation == (
        "KOD-04: Stundensoll, Abwesenheiten, Ruhezeiten, Arbeitstage in Folge und freie Sonntage "
        "lassen sich von Mo 06.01.2025 bis So 12.01.2025 nicht zugleich einhalten.",
    )


def test_without_the_greedy_hint_the_week_is_solved_too():
    instance = tiny_instance(rules=Rules(block_days=7))

    result = roster_solve(instance, options=replace(QUICK, hint_greedy=False))

    assert result.status is Status.OPTIMAL
    assert result.roster is not None
    assert roster_validate(instance, result.roster) == ()


def test_a_patrol_walker_without_a_partner_is_explained_as_a_gap():
    base = tiny_instance()
    demand = list(base.demand)
    demand[0] = (ShiftDemand(minimum=2, target=2, team_leads=1), NONE)
    away = tuple(Absence(p, 0) for p in (1, 2, 3, 5))  # the lead 0 and person 4 are left

    result = roster_solve(replace(base, demand=tuple(demand), absences=away), options=QUICK)

    assert result.status is Status.SHORT
    assert [(s.day, s.shift, s.missing) for s in result.shortfalls] == [(0, "E", 1)]
    assert result.explanation[1] == (
        "Früh am Mo 06.01.2025: 1 Kraft zu wenig, damit niemand allein Streife geht "
        "(1 auf Streife; Streifen gehen zu zweit)."
    )


def _together(roster: Roster, pairs: list[tuple[int, int]], days: int) -> tuple[int, int]:
    """(days on which a pair works the same shift, days on which both work different shifts)."""
    same = split = 0
    for p, q in pairs:
        for d in range(days):
            mine, theirs = roster.shift_of(p, d), roster.shift_of(q, d)
            if mine and theirs:
                same += mine == theirs
                split += mine != theirs
    return same, split


def test_preferred_partners_share_their_shift_more_often_than_without_the_preference(kod48_week):
    pairs = [(p, p + 1) for p in range(8, 40, 2)]  # 16 pairs, none of them team leads
    partnered = replace(kod48_week, partners=tuple(pairs))

    without = roster_solve(kod48_week, options=QUICK)
    with_them = roster_solve(partnered, options=QUICK)

    assert without.roster is not None
    assert with_them.roster is not None
    assert roster_validate(partnered, with_them.roster) == ()
    same_without, split_without = _together(without.roster, pairs, 7)
    same_with, split_with = _together(with_them.roster, pairs, 7)
    assert split_with < split_without
    assert same_with > same_without
    figures = roster_metrics(partnered, with_them.roster)
    assert (figures.target_met_pct, figures.wishes_granted_pct) == (100.0, 100.0)
