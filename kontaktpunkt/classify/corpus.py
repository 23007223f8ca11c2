"""The training corpus: German example concerns per field, one JSON object a line.

Each line is `{"text": …, "category": <subcategory code>, "urgency": 1 to 4}`. The four field files
are the corpus; `realistic_holdout.jsonl` is a separate set in another style that is never
trained on. Provenance and counts: corpus/README.md.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kontaktpunkt.classify.taxonomy import Taxonomy, taxonomy_load
from kontaktpunkt.classify.text import normalize

CORPUS_DIRECTORY = Path(__file__).resolve().parent / "corpus"
FIELD_FILES = ("security.jsonl", "order.jsonl", "cleanliness.jsonl", "social.jsonl")
HOLDOUT_FILE = "realistic_holdout.jsonl"
SEED = 20260611
TEST_SIZE = 0.25


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    urgency: int


@dataclass(frozen=True)
class Split:
    train: tuple[Example, ...]
    test: tuple[Example, ...]


def examples_read(path: Path, *, taxonomy: Taxonomy) -> list[Example]:
    """The examples of one JSONL file; a malformed line is an error naming file and line."""
    codes = set(taxonomy.codes)
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            example = Example(text=row["text"], category=row["category"], urgency=row["urgency"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path.name}:{number}: not a corpus line ({exc})") from exc
        if not isinstance(example.text, str) or not normalize(example.text):
            raise CorpusError(f"{path.name}:{number}: empty text")
        if example.category not in codes:
            raise CorpusError(f"{path.name}:{number}: unknown category {example.category!r}")
        if example.urgency not in (1, 2, 3, 4):
            raise CorpusError(f"{path.name}:{number}: urgency must be 1 to 4")
        examples.append(example)
    return examples


def corpus_load(
    *, directory: Path = CORPUS_DIRECTORY, taxonomy: Taxonomy | None = None
) -> list[Example]:
    """Every training example of the four field files, in file order."""
    taxonomy = taxonomy or taxonomy_load()
    examples = []
    for name in FIELD_FILES:
        examples += examples_read(directory / name, taxonomy=taxonomy)
    return examples


def holdout_load(
    *, directory: Path = CORPUS_DIRECTORY, taxonomy: Taxonomy | None = None
) -> list[Example]:
    """The realistic hold-out set: never trained on, only evaluated."""
    return examples_read(directory / HOLDOUT_FILE, taxonomy=taxonomy or taxonomy_load())


def corpus_fingerprint(*, directory: Path = CORPUS_DIRECTORY) -> str:
    """A SHA-256 over the training files: any change to the corpus changes it."""
    digest = hashlib.sha256()
    for name in FIELD_FILES:
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


def corpus_split(
    examples: Sequence[Example], *, seed: int = SEED, test_size: float = TEST_SIZE
) -> Split:
    """A stratified split by subcategory; the same seed gives the same split."""
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

    train, test = train_test_split(
        list(examples),
        test_size=test_size,
        random_state=seed,
        stratify=[example.category for example in examples],
    )
    return Split(train=tuple(train), test=tuple(test))


def corpus_counts(examples: Iterable[Example]) -> Counter[str]:
    """Examples per subcategory code."""
    return Counter(example.category for example in examples)
