from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from kontaktpunkt.classify import training
from kontaktpunkt.classify.store import model_load
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.classify.training import calibration_fit, classifier_fit, train


def test_training_reports_its_progress(trained):
    messages = " | ".join(trained.messages)
    assert "corpus: " in messages
    assert "calibration: fold 4 of 4" in messages
    assert "trained in" in messages


def test_training_again_keeps_the_model_that_is_up_to_date(trained):
    messages: list[str] = []
    before = trained.path.stat().st_mtime_ns
    assert train(directory=trained.path.parent, progress=messages.append) == trained.path
    assert trained.path.stat().st_mtime_ns == before
    assert messages == [f"model up to date: {trained.path}"]


def test_a_changed_corpus_trains_a_new_model_and_drops_the_stale_one(
    tmp_path: Path, trained, small_corpus, monkeypatch: pytest.MonkeyPatch
):
    stale = tmp_path / trained.path.name
    shutil.copy(trained.path, stale)
    monkeypatch.setattr(training, "corpus_load", lambda **kwargs: small_corpus)
    monkeypatch.setattr(training, "model_fingerprint", lambda **kwargs: "0123456789abcdef")
    messages: list[str] = []
    path = train(directory=tmp_path, progress=messages.append)
    assert path == tmp_path / "classifier-0123456789abcdef.joblib"
    assert not stale.exists()
    assert f"removed the stale model {stale.name}" in messages
    assert model_load(path).suggest("Müll").candidates


def test_the_same_seed_gives_the_same_model(small_corpus):
    taxonomy = taxonomy_load()
    first = classifier_fit(small_corpus, taxonomy=taxonomy, seed=5)
    second = classifier_fit(small_corpus, taxonomy=taxonomy, seed=5)
    texts = ["Spritzen am Spielplatz", "Lärm in der Nacht", "Mann liegt am Boden"]
    assert first.temperature == second.temperature
    assert first.shortness == second.shortness
    for text in texts:
        assert np.array_equal(first.probabilities(text), second.probabilities(text))
        assert first.suggest(text) == second.suggest(text)


def test_calibration_finds_the_temperature_that_fits():
    # Scores whose right answer wins by a fixed margin: a softmax over two labels is calibrated
    # when the margin times the temperature matches the observed 75 % accuracy.
    categories = np.array([[1.0, 0.0]] * 4)
    fields = np.zeros((4, 1))
    calibration = training.CalibrationRows(
        categories=categories,
        fields=fields,
        words=np.full(4, 1_000_000, dtype=np.intp),
        truth=np.array([0, 0, 0, 1], dtype=np.intp),
        weight=np.ones(4),
    )
    temperature, _ = calibration_fit(calibration, np.zeros(2, dtype=np.intp))
    assert temperature == pytest.approx(np.log(3), rel=0.05)
