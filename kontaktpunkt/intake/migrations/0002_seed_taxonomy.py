"""Seed the German category taxonomy (four fields, their subcategories and Open311 extra questions).

Idempotent: categories are matched by code and their extra questions by (category, code), so running it
again updates names, texts and defaults in place. Questions an administrator added are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy_de.json"


def seed_taxonomy(apps: Any, schema_editor: Any) -> None:
    category_model = apps.get_model("intake", "Category")
    attribute_model = apps.get_model("intake", "CategoryAttribute")
    unit_model = apps.get_model("accounts", "Unit")
    units = {unit.slug: unit for unit in unit_model.objects.all()}
    for row in json.loads(DATA.read_text(encoding="utf-8"))["categories"]:
        attributes = row.pop("attributes")
        row["default_unit"] = units[row["default_unit"]]
        category, _ = category_model.objects.update_or_create(code=row.pop("code"), defaults=row)
        for order, attribute in enumerate(attributes, start=1):
            attribute_model.objects.update_or_create(
                category=category, code=attribute["code"], defaults={**attribute, "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("accounts", "0002_seed_units")]
    operations = [migrations.RunPython(seed_taxonomy, migrations.RunPython.noop)]
