"""`kontaktpunkt import_geodata`: load the tenant's boundary, districts, facilities and zones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kontaktpunkt.geo.services import geodata_import
from kontaktpunkt.geo.sources import GeodataError, tenant_geodata_directory


class Command(BaseCommand):
    help = "Import the tenant's geodata (idempotent): boundary, districts, quarters, facilities, zones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Geodata folder (default: kontaktpunkt/tenants/<KP_TENANT>/geodata).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["directory"]
        directory = Path(given) if given else tenant_geodata_directory()
        try:
            summary = geodata_import(directory=directory)
        except GeodataError as exc:
            raise CommandError(str(exc)) from exc
        kept = f"; kept official {', '.join(summary.kept_levels)}" if summary.kept_levels else ""
        self.stdout.write(
            f"Geodata from {directory}: {summary.areas} areas, {summary.facilities} facilities, "
            f"{summary.zones} zones ({summary.created} created, {summary.updated} updated, "
            f"{summary.deleted} deleted{kept})."
        )
