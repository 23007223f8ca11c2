from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from kontaktpunkt.classify import training
from kontaktpunkt.classify.corpus import corpus_load
from kontaktpunkt.classify.management.commands import classify_evaluate
from kontaktpunkt.classify.models import Correction
from kontaktpunkt.classify.taxonomy import taxonomy_load


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_train_reports_a_model_that_is_up_to_date_without_training(data_dir, trained, monkeypatch):
    (data_dir / "classify").mkdir()
    shutil.copy(trained.path, data_dir / "classify" / trained.path.name)
    monkeypatch.setattr(training, "train", lambda **kwargs: pytest.fail("trained"))

    out, _ = run("classify_train")

    assert out == f"model up to date: {data_dir / 'classify' / trained.path.name}\n"


def test_train_shows_its_progress_and_uses_the_fixed_seed(data_dir, monkeypatch):
    calls = []

    def fake_train(*, directory, seed, progress, force):
        calls.append((directory, seed, force))
        progress("calibration: fold 1 of 4")
        return directory / "classifier-x.joblib"

    monkeypatch.setattr(training, "train", fake_train)

    out, _ = run("classify_train", "--force")

    assert calls == [(data_dir / "classify", 20260611, True)]
    assert "calibration: fold 1 of 4" in out


def test_train_really_trains_a_small_corpus_into_the_data_directory(
    data_dir, small_corpus, small_out_of_scope, monkeypatch
):
    monkeypatch.setattr(training, "corpus_load", lambda **kwargs: small_corpus)
    monkeypatch.setattr(training, "out_of_scope_load", lambda **kwargs: small_out_of_scope)

    out, _ = run("classify_train")

    assert "corpus: " in out and "trained in" in out
    assert len(list((data_dir / "classify").glob("classifier-*.joblib"))) == 1


def test_evaluate_prints_per_class_scores_and_the_baseline(report, monkeypatch):
    seen: dict[str, object] = {}

    def fake_evaluate(*, seed, test_size, progress):
        seen.update(seed=seed, test_size=test_size)
        progress("fitting …")
        return report

    monkeypatch.setattr(classify_evaluate, "evaluate", fake_evaluate)

    out, _ = run("classify_evaluate")

    assert seen == {"seed": 20260611, "test_size": 0.25}
    assert out.startswith("fitting …\nHeld-out split: seed 20260611")
    assert "keyword baseline" in out and "precision  recall" in out


def test_evaluate_as_json_keeps_progress_on_standard_error(report, monkeypatch):
    def fake_evaluate(*, seed, test_size, progress):
        progress("fitting …")
        return report

    monkeypatch.setattr(classify_evaluate, "evaluate", fake_evaluate)

    out, err = run("classify_evaluate", "--json")

    assert json.loads(out)["subcategory"]["macro_f1"] == report.subcategory.macro_f1
    assert err == "fitting …\n"


@pytest.mark.django_db
def test_corrections_are_exported_as_corpus_lines(tmp_path):
    for day, final in ((1, "cleanliness-litter-bins"), (5, "order-noise")):
        Correction.objects.create(
            text=f"Text {day}",
            suggested_code="cleanliness-litter",
            final_code=final,
            urgency=2,
            at=datetime(2026, 3, day, 12, tzinfo=UTC),
        )
    target = tmp_path / "corrections.jsonl"

    _, err = run("classify_export_corrections", "--since", "2026-03-02", "--output", str(target))

    (line,) = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["category"] == "order-noise"
    assert err == "1 corrections exported.\n"
    corpus_file = tmp_path / "order.jsonl"
    corpus_file.write_text(line + "\n", encoding="utf-8")
    from kontaktpunkt.classify.corpus import examples_read

    (example,) = examples_read(corpus_file, taxonomy=taxonomy_load())
    assert (example.text, example.category, example.urgency) == ("Text 5", "order-noise", 2)


@pytest.mark.django_db
def test_corrections_go_to_standard_output_by_default():
    Correction.objects.create(
        text="Müll", suggested_code="cleanliness-litter", final_code="order-noise", urgency=2
    )

    out, _ = run("classify_export_corrections")

    assert json.loads(out)["text"] == "Müll"


def test_a_since_that_is_no_day_is_refused():
    with pytest.raises(CommandError, match="not a day"):
        run("classify_export_corrections", "--since", "gestern")


def test_the_corpus_lines_the_commands_train_on_are_the_repository_corpus():
    assert len(corpus_load()) >= 61 * 40
