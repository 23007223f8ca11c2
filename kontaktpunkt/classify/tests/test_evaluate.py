from __future__ import annotations

import json

import pytest

from kontaktpunkt.classify.evaluate import (
    EvaluationReport,
    calibration_compute,
    report_as_dict,
    report_format,
    scores_compute,
)


def test_the_held_out_split_meets_the_acceptance_figures(report: EvaluationReport):
    assert report.subcategory.macro_f1 >= 0.85
    assert report.field.macro_f1 >= 0.95


def test_the_classifier_beats_the_keyword_baseline_of_the_same_run(report: EvaluationReport):
    assert report.subcategory.macro_f1 > report.baseline_subcategory.macro_f1 + 0.2
    assert report.field.macro_f1 > report.baseline_field.macro_f1


def test_the_split_keeps_a_quarter_for_testing(report: EvaluationReport):
    assert report.test_examples == pytest.approx(
        (report.train_examples + report.test_examples) / 4, abs=61
    )


def test_every_subcategory_has_precision_recall_f1_and_support(report: EvaluationReport):
    assert len(report.subcategory.per_class) == 61
    assert all(score.support > 0 for score in report.subcategory.per_class)
    assert sum(score.support for score in report.subcategory.per_class) == report.test_examples


def test_the_confusion_matrix_rows_add_up_to_the_supports(report: EvaluationReport):
    for scores in (report.subcategory, report.field):
        assert [sum(row) for row in scores.confusion] == [s.support for s in scores.per_class]


def test_texts_that_are_no_concern_are_rejected_and_concerns_hardly_ever(
    report: EvaluationReport,
):
    o = report.out_of_scope
    assert o.examples == pytest.approx(375 / 4, abs=20)
    assert o.rejected >= 0.85
    assert o.taken <= 0.05 < o.taken_without_detector
    assert o.concerns_rejected <= 0.02
    assert o.holdout_rejected <= 0.02
    assert o.concerns_taken >= o.concerns_taken_without_detector - 0.02
    assert sum(k.examples for k in o.per_kind) == o.examples
    assert sum(count for _, count in o.rejected_concerns) == round(
        o.concerns_rejected * report.test_examples
    )


def test_the_text_report_prints_the_out_of_scope_figures(report: EvaluationReport):
    text = report_format(report)
    o = report.out_of_scope
    assert f"Out of scope ({o.examples} held-out texts that are no concern): rejected " in text
    assert f"Concerns wrongly rejected: {o.concerns_rejected:.3f} of the held-out split" in text
    assert "Out of scope, rejected per kind:" in text
    assert "  tiny  " in text


def test_the_realistic_holdout_is_measured_too(report: EvaluationReport):
    assert report.holdout.examples == 183
    assert report.holdout.accuracy > report.holdout.baseline_accuracy


def test_urgency_and_calibration_are_reported(report: EvaluationReport):
    assert report.urgency.within_one > 0.9
    assert report.urgency.accuracy >= report.urgency.default_accuracy
    assert report.calibration.expected_error < 0.1


def test_the_text_report_prints_the_figures_beside_the_baseline(report: EvaluationReport):
    text = report_format(report)
    assert f"Subcategory macro F1: {report.subcategory.macro_f1:.3f}" in text
    assert f"(keyword baseline {report.baseline_subcategory.macro_f1:.3f})" in text
    assert "Field confusion matrix" in text
    assert "cleanliness-syringes" in text


def test_the_report_converts_to_json(report: EvaluationReport):
    data = json.loads(json.dumps(report_as_dict(report)))
    assert data["subcategory"]["macro_f1"] == report.subcategory.macro_f1
    assert len(data["subcategory"]["confusion"]) == 61


def test_scores_are_computed_per_label_and_as_macro_average():
    scores = scores_compute(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    assert [s.recall for s in scores.per_class] == [0.5, 1.0]
    assert [s.precision for s in scores.per_class] == [1.0, pytest.approx(2 / 3)]
    assert scores.accuracy == 0.75
    assert scores.confusion == ((1, 1), (0, 2))
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)


def test_calibration_error_is_zero_when_confidence_matches_accuracy():
    calibration = calibration_compute([0.75] * 4, [True, True, True, False])
    assert calibration.expected_error == pytest.approx(0.0)
    assert calibration.mean_confidence == 0.75
