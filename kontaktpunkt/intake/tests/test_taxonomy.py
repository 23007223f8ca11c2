"""The seeded German category taxonomy (intake/migrations/0002_seed_taxonomy.py)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.intake.models import AttributeType, Category, CategoryAttribute, Field

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy_de.json"


def test_the_taxonomy_has_at_least_45_subcategories() -> None:
    assert Category.objects.count() >= 45


def test_every_field_has_subcategories() -> None:
    fields = set(Category.objects.values_list("field", flat=True))
    assert fields == set(Field.values)


def test_open311_service_codes_are_unique_and_stable() -> None:
    codes = list(Category.objects.values_list("open311_service_code", flat=True))
    assert len(codes) == len(set(codes))
    assert Category.objects.get(code="cleanliness-syringes").open311_service_code == "kp-syringes"


def test_every_default_unit_is_a_seeded_unit() -> None:
    rows = json.loads(DATA.read_text(encoding="utf-8"))["categories"]
    slugs = set(Unit.objects.values_list("slug", flat=True))
    assert {row["default_unit"] for row in rows} <= slugs


def test_every_json_row_is_in_the_database_with_its_values() -> None:
    rows = json.loads(DATA.read_text(encoding="utf-8"))["categories"]
    assert Category.objects.count() == len(rows)
    syringes = Category.objects.select_related("default_unit").get(code="cleanliness-syringes")
    assert syringes.name == "Spritzen und Drogenabfall"
    assert syringes.default_unit.slug == "street-cleaning"
    assert "Fixerbesteck" in syringes.synonyms


def test_every_attribute_has_a_valid_datatype_and_list_types_have_values() -> None:
    for attribute in CategoryAttribute.objects.all():
        assert attribute.datatype in AttributeType.values
        assert attribute.question
        is_list = attribute.datatype in {
            AttributeType.SINGLEVALUELIST,
            AttributeType.MULTIVALUELIST,
        }
        assert bool(attribute.values) == is_list, attribute.code
        for value in attribute.values:
            assert value["key"]
            assert value["name"]


def test_all_six_open311_datatypes_are_used() -> None:
    used = set(CategoryAttribute.objects.values_list("datatype", flat=True))
    assert used == set(AttributeType.values)


def test_social_categories_need_help_and_are_not_public() -> None:
    social = Category.objects.filter(field=Field.SOCIAL)
    assert all(category.needs_help and not category.is_public for category in social)
    assert not Category.objects.filter(field=Field.SECURITY, is_public=True).exists()


def test_every_category_has_german_texts_and_synonyms() -> None:
    for category in Category.objects.all():
        assert category.name
        assert category.group
        assert category.description.endswith(".")
        assert len([s for s in category.synonyms.split(",") if s.strip()]) >= 5, category.code
        assert 1 <= category.default_priority <= 4
        assert category.deadline_hours > 0


def test_seeding_again_updates_in_place_without_duplicates() -> None:
    migration = importlib.import_module("kontaktpunkt.intake.migrations.0002_seed_taxonomy")
    before = (Category.objects.count(), CategoryAttribute.objects.count())
    Category.objects.filter(code="order-noise").update(name="geändert")
    migration.seed_taxonomy(django_apps, None)
    assert (Category.objects.count(), CategoryAttribute.objects.count()) == before
    assert Category.objects.get(code="order-noise").name == "Lärm / Ruhestörung"
