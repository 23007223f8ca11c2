from __future__ import annotations

import pytest

from kontaktpunkt.classify.taxonomy import taxonomy_load


def test_the_taxonomy_has_61_subcategories_in_four_fields():
    taxonomy = taxonomy_load()
    assert len(taxonomy.codes) == 61
    assert taxonomy.fields == ("security", "order", "cleanliness", "social")


def test_a_category_carries_name_field_synonyms_and_default_priority():
    syringes = taxonomy_load().category("cleanliness-syringes")
    assert syringes.name == "Spritzen und Drogenabfall"
    assert syringes.field == "cleanliness"
    assert "Kanüle" in syringes.synonyms
    assert syringes.default_priority == 3


def test_an_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        taxonomy_load().category("cleanliness-unicorns")
