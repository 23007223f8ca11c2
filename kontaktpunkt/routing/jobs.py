"""Background jobs of routing, registered for the worker (settings.KP_JOB_MODULES)."""

from __future__ import annotations

from typing import Any

from kontaktpunkt.core.jobs import PermanentJobError, job_handler
from kontaktpunkt.routing import client
from kontaktpunkt.routing.services import FORWARD_KIND, forward_deliver, forwards_poll


@job_handler(FORWARD_KIND)
def forward(payload: dict[str, Any]) -> dict[str, Any]:
    """Deliver one forward; an unavailable peer raises, and the queue retries with backoff."""
    try:
        return {"state": forward_deliver(forward_id=int(payload["forward"]))}
    except client.PeerUnavailableError as exc:
        raise ConnectionError(str(exc)) from exc
    except (KeyError, ValueError) as exc:
        raise PermanentJobError(f"bad payload: {payload}") from exc


@job_handler("routing.poll")
def poll(payload: dict[str, Any]) -> dict[str, Any]:
    """Ask partners about the requests we sent them (settings.KP_PERIODIC_JOBS)."""
    return {"changed": forwards_poll()}
