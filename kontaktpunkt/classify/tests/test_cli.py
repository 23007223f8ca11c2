from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kontaktpunkt.classify import cli
from kontaktpunkt.classify.cli import main


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, err=io.StringIO())
    return code, out.getvalue()


def test_suggest_prints_the_top_three_with_field_and_urgency(trained):
    code, output = _run("suggest", "--directory", str(trained.path.parent), "Müll überall im Park")
    assert code == 0
    lines = output.splitlines()
    assert len(lines) == 5
    assert "cleanliness-litter" in lines[0]
    assert lines[3].startswith("field cleanliness")
    assert lines[4].startswith("out of scope ") and lines[4].endswith("(a concern)")


def test_suggest_says_when_a_text_is_no_concern(trained):
    code, output = _run(
        "suggest", "--directory", str(trained.path.parent), "Wann hat das Standesamt geöffnet?"
    )
    assert code == 0
    assert output.splitlines()[-1].endswith("(no concern: no candidate fits)")


def test_suggest_raises_the_urgency_near_a_playground(trained):
    code, output = _run(
        "suggest",
        "--directory",
        str(trained.path.parent),
        "--near-playground",
        "Da liegen drei gebrauchte Spritzen im Gebüsch",
    )
    assert code == 0
    assert "cleanliness-syringes" in output.splitlines()[0]
    assert output.splitlines()[-2].endswith("urgency 4 (near_playground)")


def test_suggest_without_a_trained_model_says_what_to_do(tmp_path: Path):
    code, output = _run("suggest", "--directory", str(tmp_path), "Müll")
    assert code == 2
    assert "run `train` first" in output


def test_train_reports_a_model_that_is_up_to_date(trained):
    code, output = _run("train", "--directory", str(trained.path.parent))
    assert code == 0
    assert output == f"model up to date: {trained.path}\n"


def test_evaluate_prints_the_report(report, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cli, "evaluate", lambda **kwargs: report)
    code, output = _run("evaluate")
    assert code == 0
    assert output.startswith("Held-out split: seed 20260611, 25% test")
    assert "keyword baseline" in output


def test_evaluate_as_json_keeps_progress_out_of_the_output(report, monkeypatch: pytest.MonkeyPatch):
    def fake_evaluate(**kwargs):
        kwargs["progress"]("fitting …")
        return report

    monkeypatch.setattr(cli, "evaluate", fake_evaluate)
    out, err = io.StringIO(), io.StringIO()
    assert main(["evaluate", "--json"], out=out, err=err) == 0
    assert json.loads(out.getvalue())["field"]["macro_f1"] == report.field.macro_f1
    assert err.getvalue() == "fitting …\n"


def test_a_subcommand_is_required():
    with pytest.raises(SystemExit):
        main([], out=io.StringIO())
