"""The training corpus: German example concerns per field, one JSON object a line.

Each line is `{"text": …, "category": <subcategory code>, "urgency": 1 to 4}`. The four field files
are the corpus; `realistic_holdout.jsonl` is a separate set in another style that is never
trained on. `out_of_scope.jsonl` holds texts that are no concern at all (questions, thanks, spam,
auto-replies …), one `{"text": …, "kind": …}` a line, for the out-of-scope detector (training.py).
Provenance and counts: corpus/README.md.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kontaktpunkt.classify.taxonomy import Taxonomy, taxonomy_load
from kontaktpunkt.classify.text import normalize

CORPUS_DIRECTORY = Path(__file__).resolve().parent / "corpus"
FIELD_FILES = ("security.jsonl", "order.jsonl", "cleanliness.jsonl", "social.jsonl")
HOLDOUT_FILE = "realistic_holdout.jsonl"
OUT_OF_SCOPE_FILE = "out_of_scope.jsonl"
T = TypeVar("T")
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


@dataclass(frozen=True)
class OutOfScope:
    """A text that is no concern of any kind; `kind` says what it is (thanks, spam, fees …)."""

    text: str
    kind: str


@dataclass(frozen=True)
class OutOfScopeSplit:
    train: tuple[OutOfScope, ...]
    test: tuple[OutOfScope, ...]


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


def out_of_scope_read(path: Path) -> list[OutOfScope]:
    """The out-of-scope texts of one JSONL file; a malformed line is an error naming the line."""
    texts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            item = OutOfScope(text=row["text"], kind=row["kind"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path.name}:{number}: not an out-of-scope line ({exc})") from exc
        if not isinstance(item.text, str) or not normalize(item.text):
            raise CorpusError(f"{path.name}:{number}: empty text")
        if not isinstance(item.kind, str) or not item.kind:
            raise CorpusError(f"{path.name}:{number}: no kind")
        texts.append(item)
    return texts


def out_of_scope_load(*, directory: Path = CORPUS_DIRECTORY) -> list[OutOfScope]:
    """Every text of the out-of-scope file, in file order."""
    return out_of_scope_read(directory / OUT_OF_SCOPE_FILE)


def out_of_scope_split(
    items: Sequence[OutOfScope], *, seed: int = SEED, test_size: float = TEST_SIZE
) -> OutOfScopeSplit:
    """A split stratified by kind; the same seed gives the same split."""
    train, test = _stratified_split(
        items, [item.kind for item in items], seed=seed, test_size=test_size
    )
    return OutOfScopeSplit(train=tuple(train), test=tuple(test))


def corpus_fingerprint(*, directory: Path = CORPUS_DIRECTORY) -> str:
    """A SHA-256 over the training files: any change to the corpus changes it."""
    digest = hashlib.sha256()
    for name in (*FIELD_FILES, OUT_OF_SCOPE_FILE):
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


def corpus_split(
    examples: Sequence[Example], *, seed: int = SEED, test_size: float = TEST_SIZE
) -> Split:
    """A stratified split by subcategory; the same seed gives the same split."""
    train, test = _stratified_split(
        examples, [example.category for example in examples], seed=seed, test_size=test_size
    )
    return Split(train=tuple(train), test=tuple(test))


def _stratified_split(
    items: Sequence[T], strata: Sequence[str], *, seed: int, test_size: float
) -> tuple[list[T], list[T]]:
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

    train, test = train_test_split(
        list(items), test_size=test_size, random_state=seed, stratify=list(strata)
    )
    return list(train), list(test)


def corpus_counts(examples: Iterable[Example]) -> Counter[str]:
    """Examples per subcategory code."""
    return Counter(example.category for example in examples)
