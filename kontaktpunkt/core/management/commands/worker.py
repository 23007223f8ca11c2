from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kontaktpunkt.core.jobs import PeriodicSchedule, handlers_load, worker_name
from kontaktpunkt.core.worker import workers_run


class Command(BaseCommand):
    help = (
        "Run the background worker: deliver mail and forwards, poll partners, run scheduled work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due now, then stop.")
        parser.add_argument("--idle-sleep", type=float, default=1.0)
        parser.add_argument("--batch", type=int, default=20)
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.KP_WORKER_THREADS,
            help="Loops side by side, each claiming its own jobs, so that a job waiting on a "
            "partner or a mail server does not hold up the others.",
        )
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
        stop = threading.Event()

        def stopping(signum: int, frame: object) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"Worker {name} started.")
        try:
            workers_run(
                name=name,
                threads=max(1, options["threads"]),
                batch=options["batch"],
                stop=stop,
                idle_sleep=options["idle_sleep"],
                once=options["once"],
                periodic=periodic,
                log=lambda message: self.stderr.write(message),
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Worker {name} stopped.")
