"""Session fixtures: the classifier is trained once (on the whole corpus, into a temporary folder)
and evaluated once (on the held-out split). Only the tests of the Django side (loader, corrections,
commands) use the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from kontaktpunkt.classify.corpus import Example, OutOfScope, corpus_load, out_of_scope_load
from kontaktpunkt.classify.evaluate import EvaluationReport, evaluate
from kontaktpunkt.classify.model import Classifier
from kontaktpunkt.classify.store import model_load
from kontaktpunkt.classify.training import train


@dataclass(frozen=True)
class Trained:
    path: Path
    messages: tuple[str, ...]


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    messages: list[str] = []
    path = train(directory=tmp_path_factory.mktemp("classify-model"), progress=messages.append)
    return Trained(path=path, messages=tuple(messages))


@pytest.fixture(scope="session")
def classifier(trained: Trained) -> Classifier:
    return model_load(trained.path)


@pytest.fixture(scope="session")
def report() -> EvaluationReport:
    return evaluate(progress=lambda message: None)


@pytest.fixture(scope="session")
def small_corpus() -> list[Example]:
    """Eight examples of every subcategory: enough to fit quickly, calibration folds included."""
    taken: dict[str, int] = {}
    small = []
    for example in corpus_load():
        if taken.get(example.category, 0) < 8:
            taken[example.category] = taken.get(example.category, 0) + 1
            small.append(example)
    return small


@pytest.fixture(scope="session")
def small_out_of_scope() -> list[OutOfScope]:
    """Four out-of-scope texts of every kind."""
    taken: dict[str, int] = {}
    small = []
    for item in out_of_scope_load():
        if taken.get(item.kind, 0) < 4:
            taken[item.kind] = taken.get(item.kind, 0) + 1
            small.append(item)
    return small
