"""Background jobs of the Open311 adapter, registered for the worker (settings.KP_JOB_MODULES)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

from kontaktpunkt.core.jobs import job_handler
from kontaktpunkt.open311.selectors import inbox_burst
from kontaktpunkt.open311.services import submissions_intake

INTAKE_RUN_S = 60.0
YIELD_PAUSE_S = 0.5


@job_handler("open311.intake")
def intake(payload: dict[str, Any]) -> dict[str, Any]:
    """Take in the waiting Open311 submissions, batch by batch, for at most INTAKE_RUN_S seconds.

    Periodic (settings.KP_PERIODIC_JOBS). While a burst is arriving (more than
    KP_OPEN311_INTAKE_BURST_PER_S requests in the last second) the worker leaves the CPU to the web
    server, but never lets the oldest waiting request wait longer than KP_OPEN311_INTAKE_DEFER_MAX_S.
    """
    started = time.monotonic()
    count = 0
    yielded = 0.0
    while time.monotonic() - started < INTAKE_RUN_S:
        if inbox_burst(
            per_s=settings.KP_OPEN311_INTAKE_BURST_PER_S,
            defer_max_s=settings.KP_OPEN311_INTAKE_DEFER_MAX_S,
        ):
            time.sleep(YIELD_PAUSE_S)
            yielded += YIELD_PAUSE_S
            continue
        done = submissions_intake()
        count += done
        if done == 0:
            break
    return {"count": count, "yielded_s": yielded}
