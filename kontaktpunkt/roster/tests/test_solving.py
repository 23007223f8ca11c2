from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kontaktpunkt.core.models import Job
from kontaktpunkt.roster.models import (
    Absence,
    AbsenceKind,
    Assignment,
    DemandRule,
    EventKind,
    Post,
    RosterEvent,
    RunState,
    SolveRun,
    VersionStatus,
)
from kontaktpunkt.roster.selectors import plan_snapshot, version_draft
from kontaktpunkt.roster.services import RosterRefused
from kontaktpunkt.roster.solver import Progress, SolverOptions
from kontaktpunkt.roster.solving import (
    SOLVE_JOB,
    plan_solve_now,
    sick_call_replan,
    solve_run_execute,
    solve_run_start,
    solve_with_progress,
)
from kontaktpunkt.roster.tests.builders import tiny_instance
from kontaktpunkt.roster.tests.factories import staff, tiny_plan
from kontaktpunkt.roster.validator import roster_validate

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)


def test_solving_writes_a_valid_roster_with_posts_into_the_draft(kod_lead):
    plan = tiny_plan(start=MONDAY, grid={}, publish=False)

    run = plan_solve_now(plan=plan, time_limit_s=5, by=kod_lead)

    assert (run.state, run.outcome, run.violations) == (RunState.DONE, "optimal", 0)
    snapshot = plan_snapshot(plan=plan, version=version_draft(plan))
    assert roster_validate(snapshot.instance, snapshot.roster) == ()
    leads = Assignment.objects.filter(version=version_draft(plan), post=Post.TEAM_LEAD)
    assert leads.count() == 13  # one team lead on each of the 13 shifts of the week
    assert RosterEvent.objects.filter(plan=plan, kind=EventKind.SOLVED).exists()


def test_a_solve_reports_its_progress_while_it_runs():
    seen: list[Progress] = []

    result = solve_with_progress(
        tiny_instance(), SolverOptions(time_limit_s=5), seen.append, every_s=0.01
    )

    assert result.roster is not None
    assert seen
    assert str(seen[-1]).startswith("Abschnitt 1/1")


def test_starting_a_solve_queues_one_job_and_refuses_a_second_while_it_waits(kod_lead):
    plan = tiny_plan(start=MONDAY, publish=False)

    run = solve_run_start(plan=plan, time_limit_s=5, by=kod_lead)

    job = Job.objects.get(kind=SOLVE_JOB)
    assert job.payload == {"run": run.pk}
    with pytest.raises(RosterRefused):
        solve_run_start(plan=plan, time_limit_s=5, by=kod_lead)


def test_an_impossible_demand_is_explained_and_the_run_still_ends(kod_lead):
    plan = tiny_plan(start=MONDAY, grid={}, publish=False)
    DemandRule.objects.filter(plan=plan).update(minimum=5, target=5)

    run = plan_solve_now(plan=plan, time_limit_s=3, by=kod_lead)

    run.refresh_from_db()
    assert run.finished
    assert run.outcome == "short"
    assert "Mindestbesetzung" in run.explanation


def test_a_sick_call_is_recorded_and_replanned_with_few_changes(kod_lead):
    plan = tiny_plan(start=MONDAY)
    sick = staff(plan, 0)  # early on Monday to Wednesday

    outcome = sick_call_replan(
        plan=plan, staff=sick, first_day=MONDAY, last_day=MONDAY, by=kod_lead
    )

    assert outcome.version.status == VersionStatus.DRAFT
    assert [sick.pk, "2025-01-06", "E", ""] in outcome.changes
    assert len(outcome.changes) == 2
    absence = Absence.objects.get(staff=sick)
    assert (absence.kind, absence.first_day, absence.credit_minutes) == (
        AbsenceKind.SICKNESS,
        MONDAY,
        480,
    )
    snapshot = plan_snapshot(plan=plan, version=outcome.version)
    assert roster_validate(snapshot.instance, snapshot.roster) == ()
    assert snapshot.roster.shift_of(0, 0) is None
    early = [p for p in range(6) if snapshot.roster.shift_of(p, 0) == "E"]
    replacement = [p for p in early if p not in (4, 5)]  # the patrol pair of Monday early
    assert len(replacement) == 1
    assert snapshot.posts[(replacement[0], 0)] == Post.TEAM_LEAD


def test_a_sick_call_outside_the_plan_is_refused(kod_lead):
    plan = tiny_plan(start=MONDAY)

    with pytest.raises(RosterRefused):
        sick_call_replan(
            plan=plan,
            staff=staff(plan, 0),
            first_day=MONDAY - timedelta(days=3),
            last_day=MONDAY - timedelta(days=1),
            by=kod_lead,
        )


def test_a_solve_run_that_finished_is_not_run_again(kod_lead):
    plan = tiny_plan(start=MONDAY, publish=False)
    run = SolveRun.objects.create(plan=plan, state=RunState.DONE, outcome="optimal")

    assert solve_run_execute(run=run).outcome == "optimal"
    assert not RosterEvent.objects.filter(kind=EventKind.SOLVED).exists()


def test_a_run_lost_long_ago_does_not_block_a_new_calculation(kod_lead):
    plan = tiny_plan(start=MONDAY, publish=False)
    lost = solve_run_start(plan=plan, time_limit_s=5, by=kod_lead)
    SolveRun.objects.filter(pk=lost.pk).update(
        state=RunState.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )

    again = solve_run_start(plan=plan, time_limit_s=5, by=kod_lead)

    assert again.pk != lost.pk
