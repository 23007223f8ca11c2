"""classify.*: quality, speed and loading of the category and urgency classifier (issue 6).

Quality on the stratified held-out split of the corpus (kontaktpunkt/classify/corpus, seed and
25 % test as in `classify evaluate`): the classifier is fitted on the training part only, and
the keyword baseline (taxonomy names and synonyms) is measured on the same test texts in the
same run. Out of scope: the texts of corpus/out_of_scope.jsonl (no concern at all) are split the
same way (stratified by kind); the model is fitted on their training part, and the detector is
measured on their test part (share rejected) and on the held-out concerns (share wrongly
rejected). Latency: `Classifier.suggest()` per text (features, three linear models, urgency) on
the test texts, pinned to one CPU with every thread pool limited to one thread. Loading: a fresh
Python process imports the classifier modules and reads the model file that the fitted model
was saved to, as a new web worker would. No database is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from bench.common import Result, median, spread

PASSES = 3  # latency: every test text this many times
LOAD_RUNS = 5
_LOAD_SNIPPET = """
import sys, time
start = time.perf_counter()
from kontaktpunkt.classify.store import model_load
classifier = model_load(__import__("pathlib").Path(sys.argv[1]))
print(time.perf_counter() - start)
"""


@contextmanager
def _one_core() -> Iterator[str]:
    """Pin this process to one CPU and limit BLAS/OpenMP pools to one thread."""
    getter = getattr(os, "sched_getaffinity", None)
    before = getter(0) if getter else None
    if before:
        os.sched_setaffinity(0, {min(before)})
    try:
        with threadpool_limits(limits=1):
            yield f"pinned to CPU {min(before)}" if before else "not pinned (no affinity API)"
    finally:
        if before:
            os.sched_setaffinity(0, before)


def _latencies(suggest, texts: list[str]) -> list[float]:
    for text in texts[:50]:
        suggest(text)
    times = []
    for _ in range(PASSES):
        for text in texts:
            start = time.perf_counter()
            suggest(text)
            times.append(time.perf_counter() - start)
    return times


def _cold_loads(path: Path) -> list[float]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    runs = []
    for _ in range(LOAD_RUNS + 1):  # the first one warms the page cache
        result = subprocess.run(
            [sys.executable, "-c", _LOAD_SNIPPET, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=root,
        )
        runs.append(float(result.stdout.strip()))
    return runs[1:]


def run() -> list[Result]:
    from kontaktpunkt.classify.corpus import (
        SEED,
        TEST_SIZE,
        corpus_load,
        corpus_split,
        holdout_load,
        out_of_scope_load,
        out_of_scope_split,
    )
    from kontaktpunkt.classify.evaluate import report_build
    from kontaktpunkt.classify.store import model_load, model_save
    from kontaktpunkt.classify.taxonomy import taxonomy_load
    from kontaktpunkt.classify.training import classifier_fit

    taxonomy = taxonomy_load()
    examples = corpus_load(taxonomy=taxonomy)
    split = corpus_split(examples, seed=SEED, test_size=TEST_SIZE)
    outside = out_of_scope_split(out_of_scope_load(), seed=SEED, test_size=TEST_SIZE)
    start = time.perf_counter()
    classifier = classifier_fit(
        split.train,
        out_of_scope=[item.text for item in outside.train],
        taxonomy=taxonomy,
        seed=SEED,
    )
    fit_s = time.perf_counter() - start
    report = report_build(
        classifier,
        split=split,
        outside=outside.test,
        holdout=holdout_load(taxonomy=taxonomy),
        taxonomy=taxonomy,
        seed=SEED,
        test_size=TEST_SIZE,
        fit_seconds=fit_s,
    )
    texts = [example.text for example in split.test]
    with _one_core() as pinning:
        latencies = _latencies(classifier.suggest, texts)
    latencies_ms = [t * 1000 for t in latencies]

    with tempfile.TemporaryDirectory(prefix="classify-bench-") as directory:
        path = model_save(classifier, directory=Path(directory), fingerprint="bench")
        size_mb = path.stat().st_size / 1e6
        cold = _cold_loads(path)
        warm = []
        for _ in range(LOAD_RUNS):
            begin = time.perf_counter()
            model_load(path)
            warm.append(time.perf_counter() - begin)

    split_how = (
        f"Corpus of {len(examples)} German example concerns in 61 subcategories, stratified "
        f"split with seed {SEED}: {len(split.train)} to train, {len(split.test)} held out "
        f"(never trained on); fitted in {fit_s:.1f} s, together with the out-of-scope detector "
        f"({len(outside.train)} texts that are no concern to train, {len(outside.test)} held "
        f"out)."
    )
    sub, field = report.subcategory, report.field
    holdout = report.holdout
    scope = report.out_of_scope
    kinds = ", ".join(f"{k.kind} {k.rejected:.2f}" for k in scope.per_kind)
    return [
        Result(
            name="classify.subcategory_macro_f1",
            value=round(sub.macro_f1, 4),
            unit="F1",
            target=">= 0.85",
            runs=1,
            baseline=round(report.baseline_subcategory.macro_f1, 4),
            how=(
                f"{split_how} Macro F1 over the 61 subcategories of the best suggestion "
                f"(accuracy {sub.accuracy:.3f}, right one among the top three "
                f"{report.top3_accuracy:.3f}); the best candidate is always a real subcategory, "
                f"never the reject class. Baseline: the keyword matcher over the "
                f"taxonomy's names and synonyms on the same texts in the same run. Realistic "
                f"hold-out set ({holdout.examples} texts in other styles, never trained on): "
                f"accuracy {holdout.accuracy:.3f}, keyword baseline {holdout.baseline_accuracy:.3f}. "
                f"Deterministic: one run."
            ),
            extra={
                "accuracy": sub.accuracy,
                "top3_accuracy": report.top3_accuracy,
                "holdout_accuracy": holdout.accuracy,
                "holdout_macro_f1": holdout.macro_f1,
                "urgency_accuracy": report.urgency.accuracy,
                "calibration_error": report.calibration.expected_error,
                "fit_s": round(fit_s, 2),
            },
        ),
        Result(
            name="classify.keyword_baseline_macro_f1",
            value=round(report.baseline_subcategory.macro_f1, 4),
            unit="F1",
            target=">= 0",
            runs=1,
            how=(
                f"The baseline of classify.subcategory_macro_f1, measured on the same "
                f"{len(split.test)} held-out texts in the same run: each category scores the "
                f"summed length of its taxonomy name parts and synonyms found at word starts of "
                f"the normalised text; no match gives the commonest training category. No "
                f"target of its own."
            ),
        ),
        Result(
            name="classify.field_macro_f1",
            value=round(field.macro_f1, 4),
            unit="F1",
            target=">= 0.95",
            runs=1,
            baseline=round(report.baseline_field.macro_f1, 4),
            how=(
                f"{split_how} Macro F1 over the four fields (security, order, cleanliness, "
                f"social) of the best suggestion (accuracy {field.accuracy:.3f}); baseline: the "
                f"field of the keyword matcher's category, same texts, same run."
            ),
        ),
        Result(
            name="classify.out_of_scope_rejected",
            value=round(scope.rejected, 4),
            unit="share",
            target=">= 0.85",
            runs=1,
            how=(
                f"{split_how} Share of the {scope.examples} held-out texts that are no concern "
                f"(questions about responsibility, opening hours or fees, permits, thanks, "
                f"complaints about staff, newsletters, spam, applications, press, auto-replies, "
                f"one-word mails, and borderline texts with the words of concerns) that the "
                f"classifier judges out of scope (probability >= 0.5). Categorised on their own "
                f"all the same (best confidence >= 0.7 and not out of scope, the rule of "
                f"intake.proposals): {scope.taken:.3f}; without the detector, by the "
                f"subcategory confidence alone: {scope.taken_without_detector:.3f}. Rejected per "
                f"kind: {kinds}. Deterministic: one run."
            ),
            extra={
                "taken": scope.taken,
                "taken_without_detector": scope.taken_without_detector,
                "per_kind": {k.kind: k.rejected for k in scope.per_kind},
            },
        ),
        Result(
            name="classify.concerns_wrongly_rejected",
            value=round(scope.concerns_rejected, 4),
            unit="share",
            target="<= 0.02",
            runs=1,
            how=(
                f"{split_how} Share of the {len(split.test)} held-out concerns that the "
                f"classifier judges out of scope (probability >= 0.5), so that a mail with it "
                f"would wait for triage; by true subcategory: "
                f"{dict(scope.rejected_concerns) or 'none'}. Realistic hold-out set: "
                f"{scope.holdout_rejected:.3f}. Concerns categorised on their own (best "
                f"confidence >= 0.7 and not out of scope): {scope.concerns_taken:.3f}, without "
                f"the detector {scope.concerns_taken_without_detector:.3f}. Deterministic: "
                f"one run."
            ),
            extra={
                "holdout_rejected": scope.holdout_rejected,
                "concerns_taken": scope.concerns_taken,
                "concerns_taken_without_detector": scope.concerns_taken_without_detector,
            },
        ),
        Result(
            name="classify.latency_ms",
            value=round(median(latencies_ms), 3),
            unit="ms",
            target="<= 5",
            runs=len(latencies_ms),
            how=(
                f"Classifier.suggest() on each of the {len(texts)} held-out texts, {PASSES} "
                f"passes after a warm-up of 50 calls: normalisation, character and word "
                f"features, the four linear models (subcategories, fields, urgency, out of "
                f"scope), calibrated top three and urgency. One "
                f"core ({pinning}, thread pools limited to one thread). Median per text; "
                f"p90 {sorted(latencies_ms)[int(0.9 * len(latencies_ms))]:.3f} ms."
            ),
            spread=spread(latencies_ms, "ms"),
        ),
        Result(
            name="classify.load_s",
            value=round(median(cold), 4),
            unit="s",
            target="<= 1",
            runs=LOAD_RUNS,
            how=(
                f"A fresh Python process imports kontaktpunkt.classify.store and reads the "
                f"model file ({size_mb:.1f} MB, joblib, no compression) that the fitted model "
                f"was saved to; timed inside the process from before the import to the loaded "
                f"classifier (numpy and joblib imports included; neither scikit-learn nor scipy "
                f"is needed). Median of {LOAD_RUNS} processes after one that warms the page "
                f"cache. Reading the file alone in a warm process: median "
                f"{median(warm):.3f} s."
            ),
            spread=spread(cold),
            extra={"warm_load_s": round(median(warm), 4), "model_mb": round(size_mb, 1)},
        ),
    ]
