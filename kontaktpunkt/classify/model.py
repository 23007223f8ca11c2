"""The fitted classifier and `Classifier.suggest`: plain numpy, no scikit-learn at run time.

Three linear models share the features (features.py): one over the 61 subcategories, one over
the four fields, and one over the urgency's step away from the category's default (-2 to +2).
The subcategory and field scores are combined, log p(subcategory) + FIELD_WEIGHT * log p(its
field), and turned into probabilities by a softmax whose temperature grows with the length of
the text, T * words / (words + shortness): a fragment of one or two words gets flatter
probabilities than a full report, and an empty text a uniform distribution. T and shortness are
fitted on out-of-fold scores of the training texts and of their first words (training.py), so
the confidences are calibrated for full reports and for typed fragments alike.

A fourth linear model, the out-of-scope detector (`ScopeDetector`, see training.py for why it is a
detector beside the subcategories and not a 62nd class among them), gives the probability that
the text is no concern at all: a question about opening hours, thanks, spam, an auto-reply. The
subcategory probabilities are conditional on the text being a concern; a suggestion's confidences
are those times (1 - out-of-scope probability), so a text that is no concern gets low
confidences everywhere its proposal is shown or taken, and `Suggestion.out_of_scope` says why.
The reject label is never a candidate. A suggestion is a feature lookup, four small products and
a softmax.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kontaktpunkt.classify.features import Features
from kontaktpunkt.classify.suggestion import Candidate, Suggestion, Verdict
from kontaktpunkt.classify.taxonomy import Category
from kontaktpunkt.classify.text import normalize
from kontaktpunkt.classify.urgency import urgency_from_text

# Bump when features, models or the stored classes change: it is part of the model file's name.
MODEL_VERSION = "2"
FIELD_WEIGHT = 0.4
TOP = 3
CONCERN_LABEL = "concern"
OUT_OF_SCOPE_LABEL = "out-of-scope"  # the reject class: never a category, never a candidate

Progress = Callable[[str], None]
Floats = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LinearScorer:
    """A fitted linear model reduced to its weights (features x labels, C order) and bias."""

    labels: tuple[str, ...]
    weights: NDArray[np.float32]
    bias: NDArray[np.float32]

    def scores(self, matrix: Any) -> Floats:
        """Scores (rows x labels) of a feature matrix, dense or sparse."""
        return np.asarray(matrix @ self.weights, dtype=np.float64) + self.bias

    def scores_one(self, columns: NDArray[np.intp], values: Floats) -> Floats:
        """Scores (labels) of one text's non-zero feature columns and values."""
        return np.asarray(values @ self.weights[columns], dtype=np.float64) + self.bias


@dataclass(frozen=True, eq=False)
class ScopeDetector:
    """Concern or not: a logistic function of three pieces of evidence, the margin of a linear
    model that tells concerns from other texts, and the best raw subcategory and field scores
    (how strongly the text speaks of any one kind of concern)."""

    scorer: LinearScorer  # two labels: CONCERN_LABEL and OUT_OF_SCOPE_LABEL
    # of the margin, of the best subcategory score and of the best field score
    coefficients: tuple[float, float, float]
    intercept: float

    def margins(self, matrix: Any) -> Floats:
        """The margin towards out of scope of each row of a feature matrix."""
        scores = self.scorer.scores(matrix)
        out, concern = self._columns()
        margins: Floats = scores[:, out] - scores[:, concern]
        return margins

    def margin_one(self, columns: NDArray[np.intp], values: Floats) -> float:
        scores = self.scorer.scores_one(columns, values)
        out, concern = self._columns()
        return float(scores[out] - scores[concern])

    def probability(
        self, margin: float | Floats, category: float | Floats, field: float | Floats
    ) -> Floats:
        """The calibrated probability of being out of scope, for one text or many, from the
        margin and the best subcategory and field scores."""
        a, b, c = self.coefficients
        evidence = a * np.asarray(margin) + b * np.asarray(category) + c * np.asarray(field)
        return sigmoid(evidence + self.intercept)

    def _columns(self) -> tuple[int, int]:
        labels = self.scorer.labels
        return labels.index(OUT_OF_SCOPE_LABEL), labels.index(CONCERN_LABEL)


def sigmoid(values: float | Floats) -> Floats:
    result: Floats = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(values, dtype=np.float64)))
    return result


def _log_softmax(values: Floats) -> Floats:
    shifted: Floats = values - values.max(axis=-1, keepdims=True)
    normalizer: Floats = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return shifted - normalizer


def temperature_for(
    words: int | NDArray[np.intp], *, temperature: float, shortness: float
) -> Floats:
    """The softmax temperature for a text of `words` words (or for each of many)."""
    count = np.asarray(words, dtype=np.float64)
    if not shortness:
        return np.where(count > 0, temperature, 0.0)
    scaled: Floats = temperature * count / (count + shortness)
    return scaled


def log_probabilities(
    category_scores: Floats,
    field_scores: Floats,
    field_index: NDArray[np.intp],
    *,
    temperature: float | Floats,
    field_weight: float = FIELD_WEIGHT,
) -> Floats:
    """Calibrated log-probabilities of the subcategories, their field's evidence added in.

    Works on one text (1-d scores, a float temperature) or many (rows x labels, a column of
    temperatures).
    """
    field_log = _log_softmax(temperature * field_scores)
    return _log_softmax(temperature * category_scores + field_weight * field_log[..., field_index])


@dataclass(frozen=True)
class _Reading:
    """One text as every model sees it."""

    normalized: str
    conditional: Floats  # subcategory probabilities if the text is a concern
    out_of_scope: float
    delta: int  # the urgency model's step from the category's default


@dataclass(frozen=True, eq=False)
class Classifier:
    features: Features
    categories: LinearScorer
    fields: LinearScorer
    urgency: LinearScorer  # labels are the steps from the default, "-2" … "2"
    field_index: NDArray[np.intp]  # for each category label, the index of its field label
    label_categories: tuple[Category, ...]  # the taxonomy entry of each category label
    temperature: float
    shortness: float  # words at which a text gets half the full temperature
    scope: ScopeDetector | None  # None: fitted without out-of-scope texts, every text a concern
    field_weight: float = FIELD_WEIGHT
    version: str = MODEL_VERSION

    def probabilities(self, text: str) -> Floats:
        """The probability of each category label (in `categories.labels` order) if the text is
        a concern: conditional on it being in scope, so they add up to 1."""
        return self._read(text).conditional

    def out_of_scope(self, text: str) -> float:
        """The calibrated probability that the text is no concern of any of our kinds."""
        return self._read(text).out_of_scope

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The best subcategory code of each text."""
        return [self.categories.labels[int(self.probabilities(t).argmax())] for t in texts]

    def suggest(self, text: str, *, top: int = TOP) -> Suggestion:
        """The `top` subcategories with confidences, the field and the urgency of one text."""
        read = self._read(text)
        return self._suggestion(read, read.conditional * (1.0 - read.out_of_scope), top)

    def suggest_many(self, texts: Sequence[str], *, top: int = TOP) -> list[Suggestion]:
        return [self.suggest(text, top=top) for text in texts]

    def judge(self, text: str, *, code: str, top: int = TOP) -> Verdict:
        """The suggestion for a text whose category `code` is given, with that category's
        confidence and its urgency for the text (same features, one pass)."""
        read = self._read(text)
        probabilities = read.conditional * (1.0 - read.out_of_scope)
        suggestion = self._suggestion(read, probabilities, top)
        index = self._label_index().get(code)
        if index is None:
            return Verdict(
                suggestion=suggestion,
                code=code,
                confidence=None,
                urgency=suggestion.urgency,
                reasons=suggestion.reasons,
            )
        category = self.label_categories[index]
        urgency, reasons = urgency_from_text(
            normalized=read.normalized, category=category, delta=read.delta
        )
        return Verdict(
            suggestion=suggestion,
            code=code,
            confidence=float(probabilities[index]),
            urgency=urgency,
            reasons=reasons,
        )

    def _read(self, text: str) -> _Reading:
        normalized = normalize(text)
        columns, values = self.features.transform_one(text)
        category_scores = self.categories.scores_one(columns, values)
        field_scores = self.fields.scores_one(columns, values)
        conditional = np.exp(
            self._log_probabilities(category_scores, field_scores, len(normalized.split()))
        )
        out_of_scope = 0.0
        if self.scope is not None:
            margin = self.scope.margin_one(columns, values)
            out_of_scope = float(
                self.scope.probability(margin, category_scores.max(), field_scores.max())
            )
        delta = int(self.urgency.labels[int(self.urgency.scores_one(columns, values).argmax())])
        return _Reading(normalized, conditional, out_of_scope, delta)

    def _label_index(self) -> dict[str, int]:
        return {category.code: i for i, category in enumerate(self.label_categories)}

    def _log_probabilities(
        self, category_scores: Floats, field_scores: Floats, words: int
    ) -> Floats:
        return log_probabilities(
            category_scores,
            field_scores,
            self.field_index,
            temperature=float(
                temperature_for(words, temperature=self.temperature, shortness=self.shortness)
            ),
            field_weight=self.field_weight,
        )

    def _suggestion(self, read: _Reading, probabilities: Floats, top: int) -> Suggestion:
        order = np.argsort(-probabilities, kind="stable")[:top]
        candidates = tuple(
            Candidate(
                code=self.label_categories[i].code,
                name=self.label_categories[i].name,
                field=self.label_categories[i].field,
                confidence=float(probabilities[i]),
            )
            for i in order
        )
        best = self.label_categories[order[0]]
        same_field = self.field_index == self.field_index[order[0]]
        urgency, reasons = urgency_from_text(
            normalized=read.normalized, category=best, delta=read.delta
        )
        return Suggestion(
            candidates=candidates,
            field=best.field,
            field_confidence=float(probabilities[same_field].sum()),
            urgency=urgency,
            reasons=reasons,
            out_of_scope=read.out_of_scope,
        )
