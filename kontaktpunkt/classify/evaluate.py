"""Evaluation on a stratified held-out split that the evaluated model never saw.

`evaluate()` splits the corpus (fixed seed), fits a classifier on the training part only, and
measures on the test part: per-class precision, recall and F1 with the confusion matrix, for the
61 subcategories and for the four fields, beside the keyword baseline on the same texts; the
top-three hit rate, the urgency and the calibration of the confidences. It also measures the
realistic hold-out set (corpus/realistic_holdout.jsonl), which no model is ever trained on.

The out-of-scope texts (corpus/out_of_scope.jsonl) are split the same way (stratified by kind);
the model is fitted on their training part, and the detector is measured on their test part
beside the concerns' test part: the share of out-of-scope texts rejected, the share of concerns
wrongly rejected, and how many of either a mailbox would categorise on its own (the best
confidence at least AUTO_TAKE and not out of scope), with the detector and without it. The
subcategory and field figures are over the concerns only, as before: the best candidate, which is
never the reject class.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # type: ignore[import-untyped]

from kontaktpunkt.classify.corpus import (
    CORPUS_DIRECTORY,
    SEED,
    TEST_SIZE,
    Example,
    OutOfScope,
    Split,
    corpus_load,
    corpus_split,
    holdout_load,
    out_of_scope_load,
    out_of_scope_split,
)
from kontaktpunkt.classify.keyword_baseline import KeywordBaseline, keyword_baseline_build
from kontaktpunkt.classify.model import Classifier, Progress
from kontaktpunkt.classify.suggestion import Suggestion
from kontaktpunkt.classify.taxonomy import Taxonomy, taxonomy_load
from kontaktpunkt.classify.training import classifier_fit

CALIBRATION_BINS = 10
# intake.proposals takes the best category of a mail from this confidence on.
AUTO_TAKE = 0.7


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    labels: tuple[str, ...]
    per_class: tuple[ClassScore, ...]
    macro_f1: float
    accuracy: float
    confusion: tuple[tuple[int, ...], ...]  # rows: true label, columns: predicted, `labels` order


@dataclass(frozen=True)
class UrgencyScores:
    accuracy: float
    mean_absolute_error: float
    within_one: float
    default_accuracy: float  # the suggested category's default priority alone, for comparison


@dataclass(frozen=True)
class Calibration:
    expected_error: float  # |accuracy - confidence| over 10 confidence bins, weighted by size
    mean_confidence: float


@dataclass(frozen=True)
class HoldoutScores:
    examples: int
    accuracy: float
    macro_f1: float
    field_accuracy: float
    top3_accuracy: float
    urgency_accuracy: float
    baseline_accuracy: float
    baseline_macro_f1: float


@dataclass(frozen=True)
class KindScore:
    kind: str
    examples: int
    rejected: float


@dataclass(frozen=True)
class OutOfScopeScores:
    examples: int  # out-of-scope texts held out
    rejected: float  # share of them judged out of scope
    taken: float  # share a mailbox would still categorise on its own
    taken_without_detector: float  # … by the subcategory confidence alone, as before
    concerns_rejected: float  # share of the held-out concerns wrongly judged out of scope
    concerns_taken: float  # share of the held-out concerns categorised on their own
    concerns_taken_without_detector: float
    holdout_rejected: float  # share of the realistic hold-out set wrongly judged out of scope
    per_kind: tuple[KindScore, ...]
    rejected_concerns: tuple[tuple[str, int], ...]  # true subcategory, count; most first


@dataclass(frozen=True)
class EvaluationReport:
    seed: int
    test_size: float
    train_examples: int
    test_examples: int
    fit_seconds: float
    subcategory: Scores
    field: Scores
    baseline_subcategory: Scores
    baseline_field: Scores
    top3_accuracy: float
    urgency: UrgencyScores
    calibration: Calibration
    holdout: HoldoutScores
    out_of_scope: OutOfScopeScores


def scores_compute(
    truth: Sequence[str], predicted: Sequence[str], *, labels: Sequence[str]
) -> Scores:
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(labels), zero_division=0
    )
    matrix = confusion_matrix(truth, predicted, labels=list(labels))
    return Scores(
        labels=tuple(labels),
        per_class=tuple(
            ClassScore(label, float(p), float(r), float(f), int(s))
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        ),
        macro_f1=float(np.mean(f1)),
        accuracy=float(np.mean(np.asarray(truth) == np.asarray(predicted))),
        confusion=tuple(tuple(int(n) for n in row) for row in matrix),
    )


def calibration_compute(confidences: Sequence[float], correct: Sequence[bool]) -> Calibration:
    conf, hit = np.asarray(confidences), np.asarray(correct, dtype=np.float64)
    bins = np.minimum((conf * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    error = sum(
        abs(hit[bins == b].mean() - conf[bins == b].mean()) * np.sum(bins == b) / len(conf)
        for b in np.unique(bins)
    )
    return Calibration(expected_error=float(error), mean_confidence=float(conf.mean()))


def _field_of(taxonomy: Taxonomy, codes: Sequence[str]) -> list[str]:
    return [taxonomy.category(code).field for code in codes]


def _baseline(train: Sequence[Example], taxonomy: Taxonomy) -> KeywordBaseline:
    commonest = Counter(example.category for example in train).most_common(1)[0][0]
    return keyword_baseline_build(taxonomy, fallback=commonest)


def _urgency_scores(
    examples: Sequence[Example], suggestions: Sequence[Suggestion], taxonomy: Taxonomy
) -> UrgencyScores:
    truth = np.asarray([example.urgency for example in examples])
    ours = np.asarray([suggestion.urgency for suggestion in suggestions])
    default = np.asarray([taxonomy.category(s.best.code).default_priority for s in suggestions])
    return UrgencyScores(
        accuracy=float(np.mean(ours == truth)),
        mean_absolute_error=float(np.mean(np.abs(ours - truth))),
        within_one=float(np.mean(np.abs(ours - truth) <= 1)),
        default_accuracy=float(np.mean(default == truth)),
    )


def _holdout_scores(
    classifier: Classifier,
    baseline: KeywordBaseline,
    holdout: Sequence[Example],
    taxonomy: Taxonomy,
) -> HoldoutScores:
    texts, truth = [e.text for e in holdout], [e.category for e in holdout]
    suggestions = classifier.suggest_many(texts)
    ours = [s.best.code for s in suggestions]
    theirs = baseline.predict(texts)
    labels = sorted(set(truth))
    return HoldoutScores(
        examples=len(holdout),
        accuracy=scores_compute(truth, ours, labels=labels).accuracy,
        macro_f1=scores_compute(truth, ours, labels=labels).macro_f1,
        field_accuracy=float(
            np.mean(np.asarray(_field_of(taxonomy, truth)) == np.asarray(_field_of(taxonomy, ours)))
        ),
        top3_accuracy=float(
            np.mean(
                [
                    t in {c.code for c in s.candidates}
                    for t, s in zip(truth, suggestions, strict=True)
                ]
            )
        ),
        urgency_accuracy=float(
            np.mean([s.urgency == e.urgency for s, e in zip(suggestions, holdout, strict=True)])
        ),
        baseline_accuracy=scores_compute(truth, theirs, labels=labels).accuracy,
        baseline_macro_f1=scores_compute(truth, theirs, labels=labels).macro_f1,
    )


def _taken(suggestions: Sequence[Suggestion]) -> float:
    return float(
        np.mean([s.best.confidence >= AUTO_TAKE and not s.is_out_of_scope for s in suggestions])
    )


def _taken_alone(classifier: Classifier, texts: Sequence[str]) -> float:
    return float(np.mean([classifier.probabilities(t).max() >= AUTO_TAKE for t in texts]))


def out_of_scope_scores(
    classifier: Classifier,
    *,
    outside: Sequence[OutOfScope],
    concerns: Sequence[Example],
    suggestions: Sequence[Suggestion],
    holdout: Sequence[Example],
) -> OutOfScopeScores:
    """The detector on held-out texts: `suggestions` are those of `concerns`."""
    theirs = classifier.suggest_many([item.text for item in outside])
    flagged = np.asarray([s.is_out_of_scope for s in theirs], dtype=bool)
    kinds = np.asarray([item.kind for item in outside])
    wrongly = Counter(
        example.category
        for example, suggestion in zip(concerns, suggestions, strict=True)
        if suggestion.is_out_of_scope
    )
    return OutOfScopeScores(
        examples=len(outside),
        rejected=float(flagged.mean()) if len(outside) else 0.0,
        taken=_taken(theirs) if len(outside) else 0.0,
        taken_without_detector=(
            _taken_alone(classifier, [item.text for item in outside]) if len(outside) else 0.0
        ),
        concerns_rejected=float(np.mean([s.is_out_of_scope for s in suggestions])),
        concerns_taken=_taken(suggestions),
        concerns_taken_without_detector=_taken_alone(classifier, [e.text for e in concerns]),
        holdout_rejected=float(
            np.mean([s.is_out_of_scope for s in classifier.suggest_many([e.text for e in holdout])])
        ),
        per_kind=tuple(
            KindScore(
                kind=kind,
                examples=int(np.sum(kinds == kind)),
                rejected=float(flagged[kinds == kind].mean()),
            )
            for kind in sorted(set(kinds.tolist()))
        ),
        rejected_concerns=tuple(sorted(wrongly.items(), key=lambda pair: (-pair[1], pair[0]))),
    )


def report_build(
    classifier: Classifier,
    *,
    split: Split,
    outside: Sequence[OutOfScope],
    holdout: Sequence[Example],
    taxonomy: Taxonomy,
    seed: int,
    test_size: float,
    fit_seconds: float,
) -> EvaluationReport:
    """Every figure of the evaluation for a classifier fitted on `split.train` only."""
    texts, truth = [e.text for e in split.test], [e.category for e in split.test]
    suggestions = classifier.suggest_many(texts)
    ours = [s.best.code for s in suggestions]
    baseline = _baseline(split.train, taxonomy)
    theirs = baseline.predict(texts)
    codes, fields = taxonomy.codes, taxonomy.fields
    return EvaluationReport(
        seed=seed,
        test_size=test_size,
        train_examples=len(split.train),
        test_examples=len(split.test),
        fit_seconds=fit_seconds,
        subcategory=scores_compute(truth, ours, labels=codes),
        field=scores_compute(_field_of(taxonomy, truth), _field_of(taxonomy, ours), labels=fields),
        baseline_subcategory=scores_compute(truth, theirs, labels=codes),
        baseline_field=scores_compute(
            _field_of(taxonomy, truth), _field_of(taxonomy, theirs), labels=fields
        ),
        top3_accuracy=float(
            np.mean(
                [
                    t in {c.code for c in s.candidates}
                    for t, s in zip(truth, suggestions, strict=True)
                ]
            )
        ),
        urgency=_urgency_scores(split.test, suggestions, taxonomy),
        calibration=calibration_compute(
            [s.best.confidence for s in suggestions],
            [t == o for t, o in zip(truth, ours, strict=True)],
        ),
        holdout=_holdout_scores(classifier, baseline, holdout, taxonomy),
        out_of_scope=out_of_scope_scores(
            classifier,
            outside=outside,
            concerns=split.test,
            suggestions=suggestions,
            holdout=holdout,
        ),
    )


def evaluate(
    *,
    seed: int = SEED,
    test_size: float = TEST_SIZE,
    progress: Progress = print,
    directory: Path = CORPUS_DIRECTORY,
) -> EvaluationReport:
    """Split the corpus, fit on the training part, and measure on the test part."""
    taxonomy = taxonomy_load()
    examples = corpus_load(directory=directory, taxonomy=taxonomy)
    split = corpus_split(examples, seed=seed, test_size=test_size)
    outside = out_of_scope_split(
        out_of_scope_load(directory=directory), seed=seed, test_size=test_size
    )
    progress(
        f"corpus: {len(examples)} examples, {len(split.train)} to train, {len(split.test)} to "
        f"test; out of scope: {len(outside.train)} to train, {len(outside.test)} to test"
    )
    start = time.perf_counter()
    classifier = classifier_fit(
        split.train,
        out_of_scope=[item.text for item in outside.train],
        taxonomy=taxonomy,
        seed=seed,
        progress=progress,
    )
    fit_seconds = time.perf_counter() - start
    progress(f"fitted in {fit_seconds:.1f} s; measuring")
    return report_build(
        classifier,
        split=split,
        outside=outside.test,
        holdout=holdout_load(directory=directory, taxonomy=taxonomy),
        taxonomy=taxonomy,
        seed=seed,
        test_size=test_size,
        fit_seconds=fit_seconds,
    )


def report_as_dict(report: EvaluationReport) -> dict[str, Any]:
    return asdict(report)


def _table(title: str, scores: Scores) -> list[str]:
    width = max(len(label) for label in scores.labels)
    lines = [title, f"  {'':{width}}  precision  recall     F1  support"]
    lines += [
        f"  {s.label:{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
        for s in scores.per_class
    ]
    return lines


def _confusions(scores: Scores) -> list[str]:
    pairs = [
        (count, scores.labels[t], scores.labels[p])
        for t, row in enumerate(scores.confusion)
        for p, count in enumerate(row)
        if t != p and count
    ]
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return [f"  {count:3d}  {true} → {predicted}" for count, true, predicted in pairs] or ["  none"]


def _matrix(scores: Scores) -> list[str]:
    width = max(len(label) for label in scores.labels)
    header = "  " + " " * width + "".join(f"{label[:11]:>12}" for label in scores.labels)
    rows = [
        f"  {label:{width}}" + "".join(f"{n:12d}" for n in row)
        for label, row in zip(scores.labels, scores.confusion, strict=True)
    ]
    return [header, *rows]


def report_format(report: EvaluationReport) -> str:
    """The report as plain text: summary, per-class tables, confusions, urgency, hold-out."""
    h, o = report.holdout, report.out_of_scope
    lines = [
        f"Held-out split: seed {report.seed}, {report.test_size:.0%} test — "
        f"{report.train_examples} examples to train, {report.test_examples} to test "
        f"(fitted in {report.fit_seconds:.1f} s).",
        "",
        f"Subcategory macro F1: {report.subcategory.macro_f1:.3f} "
        f"(keyword baseline {report.baseline_subcategory.macro_f1:.3f}); "
        f"accuracy {report.subcategory.accuracy:.3f}, top-3 {report.top3_accuracy:.3f}",
        f"Field macro F1:       {report.field.macro_f1:.3f} "
        f"(keyword baseline {report.baseline_field.macro_f1:.3f}); "
        f"accuracy {report.field.accuracy:.3f}",
        f"Urgency: exact {report.urgency.accuracy:.3f} (the suggested category's default alone "
        f"{report.urgency.default_accuracy:.3f}), within one {report.urgency.within_one:.3f}, "
        f"mean absolute error {report.urgency.mean_absolute_error:.3f}",
        f"Calibration: expected calibration error {report.calibration.expected_error:.3f}, "
        f"mean confidence {report.calibration.mean_confidence:.3f} "
        f"against accuracy {report.subcategory.accuracy:.3f}",
        f"Realistic hold-out ({h.examples} texts, never trained on): accuracy {h.accuracy:.3f}, "
        f"macro F1 {h.macro_f1:.3f}, field accuracy {h.field_accuracy:.3f}, top-3 "
        f"{h.top3_accuracy:.3f}, urgency {h.urgency_accuracy:.3f}; keyword baseline accuracy "
        f"{h.baseline_accuracy:.3f}, macro F1 {h.baseline_macro_f1:.3f}",
        f"Out of scope ({o.examples} held-out texts that are no concern): rejected "
        f"{o.rejected:.3f}; categorised on their own (confidence >= {AUTO_TAKE:g}) {o.taken:.3f}, "
        f"without the detector {o.taken_without_detector:.3f}",
        f"Concerns wrongly rejected: {o.concerns_rejected:.3f} of the held-out split, "
        f"{o.holdout_rejected:.3f} of the realistic hold-out; categorised on their own "
        f"{o.concerns_taken:.3f}, without the detector {o.concerns_taken_without_detector:.3f}",
        "",
        *_table("Subcategories:", report.subcategory),
        "",
        *_table("Fields:", report.field),
        "",
        "Field confusion matrix (rows true, columns predicted):",
        *_matrix(report.field),
        "",
        "Subcategory confusions (true → predicted, off the diagonal; the full matrix is in --json):",
        *_confusions(report.subcategory),
        "",
        "Out of scope, rejected per kind:",
        *[f"  {k.kind:20}  {k.rejected:5.3f}  of {k.examples:3d}" for k in o.per_kind],
        "",
        "Concerns wrongly rejected, by true subcategory:",
        *([f"  {count:3d}  {code}" for code, count in o.rejected_concerns] or ["  none"]),
    ]
    return "\n".join(lines) + "\n"
