from __future__ import annotations

from datetime import date

import pytest

from kontaktpunkt.core.jobs import PermanentJobError, handlers_load, jobs_run_due
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.roster.jobs import solve
from kontaktpunkt.roster.models import RunState
from kontaktpunkt.roster.selectors import version_draft
from kontaktpunkt.roster.solving import SOLVE_JOB, solve_run_start
from kontaktpunkt.roster.tests.factories import tiny_plan

pytestmark = pytest.mark.django_db


def test_the_worker_runs_a_queued_calculation_into_the_draft(kod_lead):
    plan = tiny_plan(start=date(2025, 1, 6), grid={}, publish=False)
    run = solve_run_start(plan=plan, time_limit_s=5, by=kod_lead)

    assert SOLVE_JOB in handlers_load()
    assert jobs_run_due(worker="test") == 1

    run.refresh_from_db()
    assert (run.state, run.violations) == (RunState.DONE, 0)
    assert run.progress.startswith("Abschnitt 1/1")
    assert Job.objects.get(kind=SOLVE_JOB).state == JobState.DONE
    draft = version_draft(plan)
    assert draft is not None
    assert draft.assignments.count() > 0


def test_a_job_for_a_calculation_that_is_gone_fails_for_good():
    with pytest.raises(PermanentJobError):
        solve({"run": 999999})
