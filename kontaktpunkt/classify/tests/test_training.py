from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from kontaktpunkt.classify import training
from kontaktpunkt.classify.model import sigmoid
from kontaktpunkt.classify.store import model_load
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.classify.training import calibration_fit, classifier_fit, logistic_fit, train


def test_training_reports_its_progress(trained):
    messages = " | ".join(trained.messages)
    assert "corpus: " in messages
    assert "calibration: fold 4 of 4" in messages
    assert "out of scope: fold 4 of 4" in messages
    assert "375 out of scope" in messages
    assert "trained in" in messages


def test_training_again_keeps_the_model_that_is_up_to_date(trained):
    messages: list[str] = []
    before = trained.path.stat().st_mtime_ns
    assert train(directory=trained.path.parent, progress=messages.append) == trained.path
    assert trained.path.stat().st_mtime_ns == before
    assert messages == [f"model up to date: {trained.path}"]


def test_a_changed_corpus_trains_a_new_model_and_drops_the_stale_one(
    tmp_path: Path, trained, small_corpus, small_out_of_scope, monkeypatch: pytest.MonkeyPatch
):
    stale = tmp_path / trained.path.name
    shutil.copy(trained.path, stale)
    monkeypatch.setattr(training, "corpus_load", lambda **kwargs: small_corpus)
    monkeypatch.setattr(training, "out_of_scope_load", lambda **kwargs: small_out_of_scope)
    monkeypatch.setattr(training, "model_fingerprint", lambda **kwargs: "0123456789abcdef")
    messages: list[str] = []
    path = train(directory=tmp_path, progress=messages.append)
    assert path == tmp_path / "classifier-0123456789abcdef.joblib"
    assert not stale.exists()
    assert f"removed the stale model {stale.name}" in messages
    assert model_load(path).suggest("Müll").candidates


def test_the_same_seed_gives_the_same_model(small_corpus, small_out_of_scope):
    taxonomy = taxonomy_load()
    outside = [item.text for item in small_out_of_scope]
    first = classifier_fit(small_corpus, out_of_scope=outside, taxonomy=taxonomy, seed=5)
    second = classifier_fit(small_corpus, out_of_scope=outside, taxonomy=taxonomy, seed=5)
    texts = ["Spritzen am Spielplatz", "Lärm in der Nacht", "Mann liegt am Boden", "Danke!"]
    assert first.temperature == second.temperature
    assert first.shortness == second.shortness
    assert first.scope is not None and second.scope is not None
    assert first.scope.coefficients == second.scope.coefficients
    assert first.scope.intercept == second.scope.intercept
    for text in texts:
        assert np.array_equal(first.probabilities(text), second.probabilities(text))
        assert first.suggest(text) == second.suggest(text)


def test_without_out_of_scope_texts_every_text_counts_as_a_concern(small_corpus):
    classifier = classifier_fit(small_corpus, out_of_scope=[], taxonomy=taxonomy_load(), seed=5)

    suggestion = classifier.suggest("Vielen Dank für Ihre Hilfe")

    assert classifier.scope is None
    assert suggestion.out_of_scope == 0.0 and not suggestion.is_out_of_scope
    assert suggestion.best.confidence == pytest.approx(
        float(classifier.probabilities("Vielen Dank für Ihre Hilfe").max())
    )


def test_the_logistic_fit_recovers_the_function_that_made_the_labels():
    rng = np.random.default_rng(11)
    evidence = rng.normal(size=(20_000, 2))
    chance = sigmoid(2.0 * evidence[:, 0] - 1.0 * evidence[:, 1] + 0.5)
    positive = rng.random(20_000) < chance

    coefficients, intercept = logistic_fit(evidence, positive)

    assert coefficients[0] == pytest.approx(2.0, abs=0.1)
    assert coefficients[1] == pytest.approx(-1.0, abs=0.1)
    assert intercept == pytest.approx(0.5, abs=0.1)


def test_the_detector_is_shifted_to_the_expected_share_of_texts_that_are_no_concern(
    small_corpus, small_out_of_scope, monkeypatch: pytest.MonkeyPatch
):
    outside = [item.text for item in small_out_of_scope]
    taxonomy = taxonomy_load()
    monkeypatch.setattr(training, "OUT_OF_SCOPE_PRIOR", 0.1)
    rare = classifier_fit(small_corpus, out_of_scope=outside, taxonomy=taxonomy, seed=5)
    monkeypatch.setattr(training, "OUT_OF_SCOPE_PRIOR", 0.5)
    even = classifier_fit(small_corpus, out_of_scope=outside, taxonomy=taxonomy, seed=5)

    assert rare.scope is not None and even.scope is not None
    assert even.scope.coefficients == rare.scope.coefficients
    assert even.scope.intercept - rare.scope.intercept == pytest.approx(np.log(9), abs=1e-5)


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
