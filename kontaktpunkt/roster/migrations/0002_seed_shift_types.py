"""Seed the two default shift types: early 06:00-14:00 and late 14:00-22:00 (configurable later)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import migrations

SHIFT_TYPES = [
    # code, name, letter, start, end, colour, order
    ("E", "Frühdienst", "F", time(6), time(14), "#fde68a", 1),
    ("L", "Spätdienst", "S", time(14), time(22), "#bfdbfe", 2),
]


def seed(apps: Any, schema_editor: Any) -> None:
    shift_type = apps.get_model("roster", "ShiftType")
    for code, name, letter, start, end, colour, order in SHIFT_TYPES:
        shift_type.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "letter": letter,
                "start": start,
                "end": end,
                "colour": colour,
                "sort_order": order,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("roster", "ShiftType").objects.filter(code__in=[s[0] for s in SHIFT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("roster", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
