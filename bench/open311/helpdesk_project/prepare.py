# mypy: ignore-errors
"""Runs in var/bench/helpdesk-venv: migrate, create the public queue, count one ticket's SQL.

Prints one JSON line: {"queries": n, "status": code, "location": ...}.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.open311.helpdesk_project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from helpdesk.models import Queue, Ticket

    call_command("migrate", verbosity=0, interactive=False)
    Queue.objects.get_or_create(
        slug="bench", defaults={"title": "Bench", "allow_public_submission": True}
    )
    client = Client()
    form = {
        "title": "Bench prepare",
        "body": "Seit Tagen liegt hier Müll neben den Containern.",
        "submitter_email": "bench@example.org",
        "priority": "3",
    }
    client.post("/helpdesk/tickets/submit_iframe/", form)  # the first one warms the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/helpdesk/tickets/submit_iframe/", form)
    print(
        json.dumps(
            {
                "queries": len(captured.captured_queries),
                "status": response.status_code,
                "location": response.get("Location", ""),
                "tickets": Ticket.objects.count(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
