"""Fitting the classifier with scikit-learn, and `train()`, which stores it unless up to date.

Linear SVMs (scikit-learn's LinearSVC, deterministic for a given seed) on the TF-IDF features.
Calibration: stratified 4-fold out-of-fold scores of every training text and of its first 1,
2 and 4 words (what a clerk has typed so far, or a terse report), then the softmax
temperature T and the shortness k of model.temperature_for() with the least weighted negative
log-likelihood, the fragments together weighing as much as the full texts.

Out of scope: a mailbox gets many texts that are no concern at all (questions about opening
hours or fees, thanks, spam, auto-replies, "siehe Anhang"). They are learnt from
corpus/out_of_scope.jsonl by a detector beside the subcategory models rather than as a 62nd,
reject class among them:

- the subcategory, field and urgency models stay what they were, fitted on concerns only, so
  their figures are measured as before and the reject class can never become a candidate;
- the reject class would have to share the subcategories' softmax temperature and field
  weighting (and need a field of its own), while the detector gets a calibration of its own:
  a binary linear SVM (concern or not) on the same features, whose margin, together with how
  strongly the best subcategory and field claim the text, is turned into a probability by a
  logistic function fitted on out-of-fold values (Platt scaling, see scope_fit);
- the two combine as a hierarchy: P(subcategory) = P(concern) * P(subcategory | concern), so
  every consumer that compares a confidence with a threshold (taking a mail's category, guessing
  a category for the duplicate hint) rejects an out-of-scope text without knowing about it.

The vectorisers are fitted on concerns and out-of-scope texts together, so that words only the
latter use ("Öffnungszeiten", "Bewerbung", "Abwesenheitsnotiz") are features at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from kontaktpunkt.classify.corpus import (
    SEED,
    Example,
    corpus_counts,
    corpus_load,
    out_of_scope_load,
)
from kontaktpunkt.classify.features import Features, features_fit
from kontaktpunkt.classify.model import (
    CONCERN_LABEL,
    OUT_OF_SCOPE_LABEL,
    Classifier,
    Floats,
    LinearScorer,
    Progress,
    ScopeDetector,
    log_probabilities,
    sigmoid,
    temperature_for,
)
from kontaktpunkt.classify.store import model_files, model_fingerprint, model_path, model_save
from kontaktpunkt.classify.taxonomy import Taxonomy, taxonomy_load
from kontaktpunkt.classify.text import normalize

CALIBRATION_FOLDS = 4
SVM_C = 1.0
# The share of texts that are no concern where nobody checks the proposal (a city's mailbox gets
# questions, thanks, spam, auto-replies …): the detector's probabilities are shifted from the
# corpus's share to this one.
OUT_OF_SCOPE_PRIOR = 0.3
PREFIX_WORDS = (1, 2, 4)
SHORTNESS_GRID = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)
TEMPERATURE_RANGE = (0.5, 64.0)
_GOLDEN = (5**0.5 - 1) / 2


def _silent(message: str) -> None:
    del message


def scorer_fit(
    matrix: Any, labels: Sequence[str], *, seed: int, balanced: bool = False
) -> LinearScorer:
    """A linear SVM on a feature matrix; a single label gives a constant scorer."""
    classes = sorted(set(labels))
    if len(classes) == 1:
        empty = np.zeros((matrix.shape[1], 1), dtype=np.float32)
        return LinearScorer(labels=(classes[0],), weights=empty, bias=np.zeros(1, np.float32))
    svm = LinearSVC(
        C=SVM_C, class_weight="balanced" if balanced else None, max_iter=10_000, random_state=seed
    ).fit(matrix, list(labels))
    coef = np.asarray(svm.coef_, dtype=np.float32)
    bias = np.asarray(svm.intercept_, dtype=np.float32)
    if len(classes) == 2:  # one decision function for two classes: score the first as -f
        coef, bias = np.vstack([-coef, coef]), np.concatenate([-bias, bias])
    return LinearScorer(
        labels=tuple(str(c) for c in svm.classes_),
        weights=np.ascontiguousarray(coef.T),
        bias=bias,
    )


def _folds(labels: Sequence[str]) -> int:
    smallest = int(min(np.unique(np.asarray(labels), return_counts=True)[1]))
    return min(CALIBRATION_FOLDS, smallest)


@dataclass(frozen=True)
class CalibrationRows:
    """Out-of-fold scores: one row per training text and per prefix of it."""

    categories: Floats
    fields: Floats
    words: NDArray[np.intp]
    truth: NDArray[np.intp]  # index of the true category label
    weight: Floats


def _prefix_rows(
    features: Features, texts: Sequence[str], category: LinearScorer, field: LinearScorer
) -> tuple[list[Floats], list[Floats], list[int], list[int]]:
    """Scores of the first words of each text (only prefixes shorter than the text)."""
    categories, fields, words, owners = [], [], [], []
    for owner, text in enumerate(texts):
        tokens = normalize(text).split()
        for count in (n for n in PREFIX_WORDS if n < len(tokens)):
            columns, values = features.transform_one(" ".join(tokens[:count]))
            categories.append(category.scores_one(columns, values))
            fields.append(field.scores_one(columns, values))
            words.append(count)
            owners.append(owner)
    return categories, fields, words, owners


def calibration_rows(
    matrix: Any,
    features: Features,
    texts: Sequence[str],
    codes: Sequence[str],
    fields: Sequence[str],
    *,
    seed: int,
    progress: Progress,
) -> CalibrationRows:
    """Scores of each training text, and of its prefixes, from models that did not see it.

    Every fold keeps every category (a category has at least as many texts as there are
    folds), so the fold models' labels are the full, sorted label sets.
    """
    folds = _folds(codes)
    codes_array, fields_array = np.asarray(codes), np.asarray(fields)
    labels = sorted(set(codes))  # the order of every fold model's labels
    truth = np.asarray([labels.index(code) for code in codes], dtype=np.intp)
    category_rows, field_rows, word_rows, truth_rows, weight_rows = [], [], [], [], []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for number, (train, held) in enumerate(splitter.split(truth, truth), start=1):
        progress(f"calibration: fold {number} of {folds}")
        part = matrix[train]
        category = scorer_fit(part, codes_array[train].tolist(), seed=seed)
        field = scorer_fit(part, fields_array[train].tolist(), seed=seed)
        category_rows += list(category.scores(matrix[held]))
        field_rows += list(field.scores(matrix[held]))
        word_rows += [len(normalize(texts[i]).split()) for i in held]
        truth_rows += truth[held].tolist()
        weight_rows += [1.0] * len(held)
        held_texts = [texts[i] for i in held]
        p_categories, p_fields, p_words, owners = _prefix_rows(
            features, held_texts, category, field
        )
        category_rows += p_categories
        field_rows += p_fields
        word_rows += p_words
        truth_rows += [int(truth[held[o]]) for o in owners]
        weight_rows += [1.0 / len(PREFIX_WORDS)] * len(owners)
    return CalibrationRows(
        categories=np.asarray(category_rows),
        fields=np.asarray(field_rows),
        words=np.asarray(word_rows, dtype=np.intp),
        truth=np.asarray(truth_rows, dtype=np.intp),
        weight=np.asarray(weight_rows),
    )


def _golden_minimum(loss: Callable[[float], float], low: float, high: float) -> float:
    """The minimum of a unimodal function on [low, high] by golden-section search."""
    a, b = low, high
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    loss_c, loss_d = loss(c), loss(d)
    for _ in range(16):
        if loss_c < loss_d:
            b, d, loss_d = d, c, loss_c
            c = b - _GOLDEN * (b - a)
            loss_c = loss(c)
        else:
            a, c, loss_c = c, d, loss_d
            d = a + _GOLDEN * (b - a)
            loss_d = loss(d)
    return (a + b) / 2


def calibration_fit(rows: CalibrationRows, field_index: NDArray[np.intp]) -> tuple[float, float]:
    """The temperature and shortness with the least weighted negative log-likelihood.

    For each shortness of the grid, a golden-section search over log(temperature).
    """

    def loss(temperature: float, shortness: float) -> float:
        column = temperature_for(rows.words, temperature=temperature, shortness=shortness)
        logp = log_probabilities(
            rows.categories, rows.fields, field_index, temperature=column[:, np.newaxis]
        )
        nll = -logp[np.arange(len(rows.truth)), rows.truth]
        return float(np.average(nll, weights=rows.weight))

    def best_temperature(shortness: float) -> float:
        def loss_at(log_temperature: float) -> float:
            return loss(float(np.exp(log_temperature)), shortness)

        low, high = np.log(TEMPERATURE_RANGE)
        return round(float(np.exp(_golden_minimum(loss_at, float(low), float(high)))), 4)

    candidates = [(best_temperature(shortness), shortness) for shortness in SHORTNESS_GRID]
    return min(candidates, key=lambda pair: loss(*pair))


def logistic_fit(evidence: Floats, positive: NDArray[np.bool_]) -> tuple[Floats, float]:
    """Coefficients and intercept of the logistic function that best turns the evidence (rows x
    columns) into probabilities of `positive`.

    Platt's method, with his smoothed targets against overfitting, generalised to a few columns;
    Newton's method, deterministic.
    """
    count_pos = int(positive.sum())
    count_neg = len(positive) - count_pos
    target = np.where(positive, (count_pos + 1) / (count_pos + 2), 1 / (count_neg + 2))
    design = np.hstack([evidence, np.ones((len(positive), 1))])
    beta = np.zeros(design.shape[1])
    beta[-1] = np.log((count_pos + 1) / (count_neg + 1))
    for _ in range(100):
        p = sigmoid(design @ beta)
        weight = np.maximum(p * (1 - p), 1e-12)
        hessian = design.T @ (design * weight[:, np.newaxis]) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, design.T @ (p - target))
        beta = beta - step
        if float(np.abs(step).max()) < 1e-10:
            break
    coefficients: Floats = np.asarray([round(float(b), 6) for b in beta[:-1]])
    return coefficients, round(float(beta[-1]), 6)


def _log_odds(share: float) -> float:
    return float(np.log(share / (1.0 - share)))


def _strengths(category: LinearScorer, matrix: Any) -> Floats:
    strengths: Floats = category.scores(matrix).max(axis=1)
    return strengths


def scope_fit(
    matrix: Any,
    codes: Sequence[str],
    outside: int,
    *,
    field_of: dict[str, str],
    seed: int,
    progress: Progress,
) -> ScopeDetector:
    """The out-of-scope detector for a matrix whose first rows are the concerns of `codes` and
    whose last `outside` rows are out of scope.

    Its evidence is the margin of a linear SVM (concern or not) and the best raw subcategory and
    field scores, all out of fold; a logistic function of the three is fitted on them. The
    scores matter: a polite e-mail with an attachment ("Sehr geehrte …, anbei ein Foto: …")
    looks like a non-concern to the margin alone, but a subcategory claims it strongly. The
    intercept is then moved from the corpus's share of out-of-scope texts to OUT_OF_SCOPE_PRIOR.
    """
    labels = [CONCERN_LABEL] * len(codes) + [OUT_OF_SCOPE_LABEL] * outside
    positive = np.asarray([label == OUT_OF_SCOPE_LABEL for label in labels])
    concern = np.asarray(codes)
    fields = np.asarray([field_of[code] for code in codes])
    folds = _folds(labels)
    evidence = np.zeros((len(labels), 3))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for number, (train, held) in enumerate(splitter.split(positive, positive), start=1):
        progress(f"out of scope: fold {number} of {folds}")
        detector = ScopeDetector(
            scorer=scorer_fit(matrix[train], [labels[i] for i in train], seed=seed),
            coefficients=(1.0, 0.0, 0.0),
            intercept=0.0,
        )
        concerns = train[train < len(codes)]
        category = scorer_fit(matrix[concerns], concern[concerns].tolist(), seed=seed)
        evidence[held, 0] = detector.margins(matrix[held])
        evidence[held, 1] = _strengths(category, matrix[held])
        field = scorer_fit(matrix[concerns], fields[concerns].tolist(), seed=seed)
        evidence[held, 2] = _strengths(field, matrix[held])
    coefficients, intercept = logistic_fit(evidence, positive)
    intercept = round(intercept + _log_odds(OUT_OF_SCOPE_PRIOR) - _log_odds(positive.mean()), 6)
    progress(
        f"out of scope: margin weight {coefficients[0]:.3f}, subcategory score weight "
        f"{coefficients[1]:.3f}, field score weight {coefficients[2]:.3f}, "
        f"intercept {intercept:.3f}"
    )
    return ScopeDetector(
        scorer=scorer_fit(matrix, labels, seed=seed),
        coefficients=(float(coefficients[0]), float(coefficients[1]), float(coefficients[2])),
        intercept=intercept,
    )


def classifier_fit(
    examples: Sequence[Example],
    *,
    out_of_scope: Sequence[str],
    taxonomy: Taxonomy,
    seed: int,
    progress: Progress = _silent,
) -> Classifier:
    """Fit every part of the classifier on the concerns in `examples` and the texts that are
    none (`out_of_scope`; without them, every text counts as a concern); deterministic for a
    given seed."""
    texts = [example.text for example in examples]
    codes = [example.category for example in examples]
    categories = {code: taxonomy.category(code) for code in set(codes)}
    fields = [categories[code].field for code in codes]
    deltas = [
        str(max(-2, min(2, example.urgency - categories[example.category].default_priority)))
        for example in examples
    ]
    progress(
        f"features: fitting on {len(texts)} texts in {len(categories)} subcategories and "
        f"{len(out_of_scope)} out of scope"
    )
    features, everything = features_fit([*texts, *out_of_scope])
    matrix = everything[: len(texts)]
    progress(f"features: {features.width} columns")
    category_model = scorer_fit(matrix, codes, seed=seed)
    field_model = scorer_fit(matrix, fields, seed=seed)
    field_index = np.asarray(
        [field_model.labels.index(categories[code].field) for code in category_model.labels],
        dtype=np.intp,
    )
    temperature, shortness = 1.0, 0.0
    if _folds(codes) >= 2:
        rows = calibration_rows(
            matrix, features, texts, codes, fields, seed=seed, progress=progress
        )
        temperature, shortness = calibration_fit(rows, field_index)
    progress(f"calibration: temperature {temperature:.3f}, shortness {shortness:g} words")
    progress("urgency: fitting the step from each category's default")
    urgency_model = scorer_fit(matrix, deltas, seed=seed, balanced=True)
    scope = None
    if out_of_scope:
        scope = scope_fit(
            everything,
            codes,
            len(out_of_scope),
            field_of={code: category.field for code, category in categories.items()},
            seed=seed,
            progress=progress,
        )
    return Classifier(
        features=features,
        categories=category_model,
        fields=field_model,
        urgency=urgency_model,
        field_index=field_index,
        label_categories=tuple(categories[code] for code in category_model.labels),
        temperature=temperature,
        shortness=shortness,
        scope=scope,
    )


def train(
    *, directory: Path, seed: int = SEED, progress: Progress = print, force: bool = False
) -> Path:
    """The path of the model for the current corpus, trained now if missing (or if `force`).

    Training uses every example of the four field files and every out-of-scope text (never the
    realistic hold-out set) and is reproducible: the same corpus and seed give the same model.
    Other model files in
    `directory` are stale and are removed once the new one is written.
    """
    fingerprint = model_fingerprint(seed=seed)
    path = model_path(directory=directory, fingerprint=fingerprint)
    if path.is_file() and not force:
        progress(f"model up to date: {path}")
        return path
    taxonomy = taxonomy_load()
    examples = corpus_load(taxonomy=taxonomy)
    outside = [item.text for item in out_of_scope_load()]
    counts = corpus_counts(examples)
    progress(
        f"corpus: {len(examples)} examples in {len(counts)} subcategories "
        f"({min(counts.values())} to {max(counts.values())} each), {len(outside)} out of "
        f"scope; seed {seed}"
    )
    start = time.perf_counter()
    classifier = classifier_fit(
        examples, out_of_scope=outside, taxonomy=taxonomy, seed=seed, progress=progress
    )
    saved = model_save(classifier, directory=directory, fingerprint=fingerprint)
    for stale in model_files(directory):
        if stale != saved:
            stale.unlink()
            progress(f"removed the stale model {stale.name}")
    progress(f"trained in {time.perf_counter() - start:.1f} s: {saved}")
    return saved
