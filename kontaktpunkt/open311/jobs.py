"""Background jobs of the Open311 adapter, registered for the worker (settings.KP_JOB_MODULES)."""

from __future__ import annotations

import time
from typing import Any

from kontaktpunkt.core.jobs import job_handler
from kontaktpunkt.open311.services import submissions_intake

INTAKE_RUN_S = 60.0


@job_handler("open311.intake")
def intake(payload: dict[str, Any]) -> dict[str, Any]:
    """Take in the waiting Open311 submissions, batch by batch, for at most INTAKE_RUN_S seconds.

    Periodic (settings.KP_PERIODIC_JOBS); a burst larger than one run is finished by the next ones.
    """
    started = time.monotonic()
    count = 0
    while time.monotonic() - started < INTAKE_RUN_S:
        done = submissions_intake()
        count += done
        if done == 0:
            break
    return {"count": count}
