from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from kontaktpunkt.cases.services import concerns_escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue open concerns now and notify the leads of their units (by the outbox)."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = concerns_escalate_overdue()
        self.stdout.write(
            ngettext(
                "%(count)d concern escalated.", "%(count)d concerns escalated.", len(escalated)
            )
            % {"count": len(escalated)}
        )
        for concern in escalated:
            self.stdout.write(f"  {concern.reference}")
