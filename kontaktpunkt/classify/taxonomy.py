"""The category taxonomy as the classifier needs it, read from intake/data/taxonomy_de.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "intake" / "data" / "taxonomy_de.json"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    field: str
    synonyms: tuple[str, ...]
    default_priority: int  # 1 low … 4 urgent


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]  # in the taxonomy's order

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(category.code for category in self.categories)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields in order of first appearance (security, order, cleanliness, social)."""
        return tuple(dict.fromkeys(category.field for category in self.categories))

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)


@cache
def taxonomy_load(path: Path = TAXONOMY_PATH) -> Taxonomy:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Taxonomy(
        categories=tuple(
            Category(
                code=row["code"],
                name=row["name"],
                field=row["field"],
                synonyms=tuple(s.strip() for s in row["synonyms"].split(",") if s.strip()),
                default_priority=int(row["default_priority"]),
            )
            for row in data["categories"]
        )
    )


def taxonomy_digest_source(path: Path = TAXONOMY_PATH) -> bytes:
    """The bytes that decide the taxonomy part of a model's fingerprint."""
    return path.read_bytes()
