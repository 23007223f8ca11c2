"""Background jobs of case handling, registered for the worker (settings.KP_JOB_MODULES)."""

from __future__ import annotations

from typing import Any

from kontaktpunkt.cases.services import concerns_escalate_overdue
from kontaktpunkt.core.jobs import job_handler


@job_handler("cases.escalate_overdue")
def escalate_overdue(payload: dict[str, Any]) -> dict[str, Any]:
    """Escalate the overdue open concerns; run periodically (settings.KP_PERIODIC_JOBS)."""
    escalated = concerns_escalate_overdue()
    return {"count": len(escalated), "references": [c.reference for c in escalated[:100]]}
