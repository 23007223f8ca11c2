from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kontaktpunkt.classify.model import Classifier
from kontaktpunkt.classify.store import (
    StoreError,
    model_current_path,
    model_fingerprint,
    model_load,
    model_path,
    model_save,
)
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.classify.training import classifier_fit


def test_a_saved_model_loads_and_suggests_the_same(
    tmp_path: Path, small_corpus, small_out_of_scope
):
    classifier = classifier_fit(
        small_corpus,
        out_of_scope=[item.text for item in small_out_of_scope],
        taxonomy=taxonomy_load(),
        seed=3,
    )
    path = model_save(classifier, directory=tmp_path / "models", fingerprint="abc")
    assert path == model_path(directory=tmp_path / "models", fingerprint="abc")
    loaded = model_load(path)
    for text in ("Spritzen im Gebüsch", "Danke für Ihre Antwort"):
        assert loaded.suggest(text) == classifier.suggest(text)


def test_the_file_name_carries_the_fingerprint_of_corpus_code_and_seed(trained):
    assert trained.path.name == f"classifier-{model_fingerprint(seed=20260611)}.joblib"
    assert model_fingerprint(seed=1) != model_fingerprint(seed=2)


def test_the_current_model_is_found_only_for_the_current_fingerprint(trained):
    assert model_current_path(directory=trained.path.parent, seed=20260611) == trained.path
    assert model_current_path(directory=trained.path.parent, seed=1) is None


def test_a_file_that_is_no_model_is_refused(tmp_path: Path):
    path = tmp_path / "classifier-bad.joblib"
    path.write_bytes(b"not a pickle")
    with pytest.raises(StoreError):
        model_load(path)


def test_loading_imports_neither_scikit_learn_nor_scipy(trained):
    code = (
        "import sys; from pathlib import Path; "
        "from kontaktpunkt.classify.store import model_load; "
        f"c = model_load(Path({str(trained.path)!r})); c.suggest('Müll'); "
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"


def test_the_session_model_is_a_classifier(classifier: Classifier):
    assert isinstance(classifier, Classifier)
