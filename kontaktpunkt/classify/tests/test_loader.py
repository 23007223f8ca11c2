from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django import Settings

from kontaktpunkt.classify import loader, training
from kontaktpunkt.classify.loader import (
    classifier,
    classifier_forget,
    classifier_if_trained,
    model_directory,
)


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    classifier_forget()
    yield
    classifier_forget()


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_the_model_lives_in_the_data_directory(data_dir: Path):
    assert model_directory() == data_dir / "classify"


def test_the_model_is_read_once_per_process(data_dir: Path, trained, monkeypatch):
    (data_dir / "classify").mkdir()
    shutil.copy(trained.path, data_dir / "classify" / trained.path.name)
    reads: list[Path] = []
    real = loader.model_load

    def counted(path: Path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(loader, "model_load", counted)

    first = classifier()

    assert classifier() is first and classifier_if_trained() is first
    assert reads == [data_dir / "classify" / trained.path.name]


def test_a_missing_model_is_trained_on_first_use_with_a_log_line(
    data_dir: Path, trained, monkeypatch, caplog
):
    def fake_train(*, directory: Path, **kwargs) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy(trained.path, directory / trained.path.name))

    monkeypatch.setattr(training, "train", fake_train)
    with caplog.at_level(logging.WARNING, logger="kontaktpunkt.classify.loader"):
        found = classifier()

    assert found.suggest("Spritzen im Gebüsch").best.code == "cleanliness-syringes"
    assert "training it now" in caplog.text
    assert (data_dir / "classify" / trained.path.name).is_file()


def test_without_a_model_the_save_path_gets_none_and_trains_nothing(data_dir: Path, monkeypatch):
    monkeypatch.setattr(training, "train", lambda **kwargs: pytest.fail("trained"))

    assert classifier_if_trained() is None


def test_a_damaged_model_is_trained_anew(data_dir: Path, trained, monkeypatch):
    (data_dir / "classify").mkdir()
    (data_dir / "classify" / trained.path.name).write_bytes(b"not a model")
    forced: list[bool] = []

    def fake_train(*, directory: Path, force: bool = False, **kwargs) -> Path:
        forced.append(force)
        return Path(shutil.copy(trained.path, directory / trained.path.name))

    monkeypatch.setattr(training, "train", fake_train)

    assert classifier_if_trained() is None
    assert classifier().suggest("Müll im Park").best.field == "cleanliness"
    assert forced == [True]
