"""`kontaktpunkt classify_export_corrections`: staff corrections as corpus lines (JSONL)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kontaktpunkt.classify.corrections import correction_lines
from kontaktpunkt.classify.selectors import corrections_since


class Command(BaseCommand):
    help = (
        "Write the stored corrections of category suggestions as JSON lines in the corpus format "
        "(text, category, urgency; plus the suggestion and the date) for review before they join "
        "the corpus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="File to write (default: standard output)."
        )
        parser.add_argument(
            "--since", default=None, help="Only corrections from this day on (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lines = correction_lines(corrections_since(since=_day_start(options["since"])).iterator())
        if options["output"] is None:
            count = _write(lines, lambda line: self.stdout.write(line, ending=""))
        else:
            with options["output"].open("w", encoding="utf-8") as out:
                count = _write(lines, out.write)
        self.stderr.write(f"{count} corrections exported.")


def _write(lines: Iterable[str], write: Callable[[str], object]) -> int:
    count = 0
    for line in lines:
        write(line)
        count += 1
    return count


def _day_start(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar day
    except ValueError as exc:
        raise CommandError(f"--since {value!r} is not a day (YYYY-MM-DD)") from exc
    return timezone.make_aware(datetime.combine(day, time.min))
