from __future__ import annotations

import os
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import Error, connections

from kontaktpunkt.core.jobs import (
    PeriodicSchedule,
    handlers_load,
    jobs_release,
    jobs_run_due,
    worker_name,
)


class Command(BaseCommand):
    help = (
        "Run the background worker: deliver mail and forwards, poll partners, run scheduled work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due now, then stop.")
        parser.add_argument("--idle-sleep", type=float, default=1.0)
        parser.add_argument("--batch", type=int, default=20)
        parser.add_argument(
            "--nice",
            type=int,
            default=settings.KP_WORKER_NICE,
            help="Lower the worker's CPU priority by this much (0: as the web server), so that "
            "under load web requests go first and the worker catches up afterwards.",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="Do not enqueue the periodic jobs of settings.KP_PERIODIC_JOBS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = worker_name()
        if options["nice"] > 0:
            os.nice(options["nice"])
        handlers_load()
        periodic = PeriodicSchedule({} if options["no_periodic"] else None)
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"Worker {name} started.")
        outage = 0
        try:
            while not stopping:
                try:
                    if outage:
                        # This worker runs one job at a time: what it held when the database went
                        # away is not running any more, so it goes back to the queue at once.
                        jobs_release(worker=name)
                    periodic.enqueue_due()
                    ran = jobs_run_due(worker=name, limit=options["batch"])
                except Error as exc:
                    # The database went away (a restart, a failover): what was claimed stays leased
                    # and is taken over when its lease runs out; wait, reconnect, go on.
                    outage += 1
                    self.stderr.write(f"Database unavailable ({exc.__class__.__name__}); retrying.")
                    connections.close_all()
                    time.sleep(min(0.5 * 2 ** min(outage - 1, 6), 30.0))
                    continue
                outage = 0
                if options["once"] and ran == 0:
                    break
                if ran == 0:
                    time.sleep(options["idle_sleep"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Worker {name} stopped.")
