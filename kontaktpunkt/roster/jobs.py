"""Background work of the duty roster: the calculation of a plan (`roster.solve`)."""

from __future__ import annotations

from typing import Any

from kontaktpunkt.core.jobs import PermanentJobError, job_handler
from kontaktpunkt.roster.models import SolveRun
from kontaktpunkt.roster.solving import SOLVE_JOB, solve_run_execute


@job_handler(SOLVE_JOB)
def solve(payload: dict[str, Any]) -> dict[str, Any]:
    run = SolveRun.objects.select_related("plan").filter(pk=int(payload["run"])).first()
    if run is None:
        raise PermanentJobError(f"no roster calculation {payload['run']!r}")
    solve_run_execute(run=run)
    return {"run": run.pk, "state": run.state, "outcome": run.outcome}
