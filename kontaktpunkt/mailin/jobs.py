"""The worker's round over the mailbox, enqueued every KP_IMAP_INTERVAL seconds (KP_PERIODIC_JOBS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kontaktpunkt.core.jobs import PermanentJobError, job_handler
from kontaktpunkt.mailin.imap import imap_config
from kontaktpunkt.mailin.services import mails_import


@job_handler("mailin.poll")
def poll(payload: dict[str, Any]) -> dict[str, Any]:
    """Take in the mailbox of settings.KP_IMAP_*; nothing when KP_IMAP_HOST is empty.

    A server that cannot be reached or refuses the login raises, so that the queue retries; a
    setting of the wrong form fails the job for good (it shows among the dead jobs).
    """
    try:
        config = imap_config()
    except ImproperlyConfigured as exc:
        raise PermanentJobError(str(exc)) from exc
    if config is None:
        return {"enabled": False}
    return {"enabled": True, **mails_import(config=config).as_dict()}
