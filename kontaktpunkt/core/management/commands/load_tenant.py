from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kontaktpunkt.tenants.loader import TenantNotFound, tenant_load


class Command(BaseCommand):
    help = "Load a tenant's units, schedules, intake points and geography (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", default=settings.KP_TENANT)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tenant_load(name=options["name"])
        except TenantNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Tenant {options['name']} loaded."))
