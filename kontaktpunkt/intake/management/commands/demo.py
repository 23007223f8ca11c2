"""`kontaktpunkt demo`: build the demo world (once) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kontaktpunkt.demo.plan import DemoError
from kontaktpunkt.demo.world import DemoReport, demo_world_build


class Command(BaseCommand):
    help = (
        "Build a demo world (tenant, people for every role, the concerns of the 365 days up to "
        "now) from a fixed seed and print the demo logins. Does nothing but print the logins when "
        "it exists, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random world.")
        parser.add_argument("--concerns", type=int, default=20_000, help="How many concerns.")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="A fixed calendar year for the concerns instead of the 365 days up to now.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace existing demo concerns by new ones."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = demo_world_build(
                seed=options["seed"],
                concerns=options["concerns"],
                year=options["year"],
                force=options["force"],
                log=self.stdout.write,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self._logins(report)

    def _logins(self, report: DemoReport) -> None:
        if report.built:
            self.stdout.write(self.style.SUCCESS(f"Demo-Welt in {report.seconds:.1f} s erstellt."))
        else:
            self.stdout.write("Die Demo-Welt besteht bereits (neu erzeugen mit --force).")
        self.stdout.write("")
        self.stdout.write("Demo-Zugänge (nur für Demonstrationen, Passwort für alle gleich):")
        header = ("Benutzername", "Passwort", "Rolle", "Organisationseinheit")
        rows = [(x.username, x.password, x.role, x.unit) for x in report.logins]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            line = "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
