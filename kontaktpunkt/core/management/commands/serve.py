from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app (gunicorn) together with the background worker, in the foreground."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        call_command("collectstatic", interactive=False, verbosity=0)
        web = subprocess.Popen(  # noqa: S603
            [
                python, "-m", "gunicorn", "kontaktpunkt.config.wsgi:application",
                "--bind", f"{options['host']}:{options['port']}",
                "--workers", str(options["workers"]), "--threads", "4",
                "--access-logfile", "-", "--graceful-timeout", "10",
            ]
        )  # fmt: skip
        worker = subprocess.Popen([python, "-m", "kontaktpunkt", "worker"])  # noqa: S603
        self.stdout.write(
            f"Kontaktpunkt läuft auf http://{options['host']}:{options['port']}/ (Strg+C beendet)"
        )
        children = [web, worker]

        def stop(signum: int, frame: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                child.wait(timeout=15)
        failed = [
            child.returncode for child in children if child.returncode not in (0, -signal.SIGTERM)
        ]
        if failed:
            raise SystemExit(failed[0])
