"""Seed the generic units every city has; a tenant's configuration renames them (kontaktpunkt load_tenant)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "units_de.json"


def seed_units(apps: Any, schema_editor: Any) -> None:
    unit_model = apps.get_model("accounts", "Unit")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        unit_model.objects.update_or_create(slug=row["slug"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_units, migrations.RunPython.noop)]
