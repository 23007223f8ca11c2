"""The fitted classifier and `Classifier.suggest`: plain numpy, no scikit-learn at run time.

Three linear models share the features (features.py): one over the 61 subcategories, one over
the four fields, and one over the urgency's step away from the category's default (-2 to +2).
The subcategory and field scores are combined, log p(subcategory) + FIELD_WEIGHT * log p(its
field), and turned into probabilities by a softmax whose temperature grows with the length of
the text, T * words / (words + shortness): a fragment of one or two words gets flatter
probabilities than a full report, and an empty text a uniform distribution. T and shortness are
fitted on out-of-fold scores of the training texts and of their first words (training.py), so
the confidences are calibrated for full reports and for typed fragments alike. A suggestion is a
feature lookup, three small products and a softmax.
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
MODEL_VERSION = "1"
FIELD_WEIGHT = 0.4
TOP = 3

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
    field_weight: float = FIELD_WEIGHT
    version: str = MODEL_VERSION

    def probabilities(self, text: str) -> Floats:
        """The probability of each category label (in `categories.labels` order)."""
        columns, values = self.features.transform_one(text)
        return np.exp(self._log_probabilities(columns, values, len(normalize(text).split())))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The best subcategory code of each text."""
        return [self.categories.labels[int(self.probabilities(t).argmax())] for t in texts]

    def suggest(self, text: str, *, top: int = TOP) -> Suggestion:
        """The `top` subcategories with confidences, the field and the urgency of one text."""
        normalized = normalize(text)
        columns, values = self.features.transform_one(text)
        probabilities = np.exp(self._log_probabilities(columns, values, len(normalized.split())))
        urgency_scores = self.urgency.scores_one(columns, values)
        delta = int(self.urgency.labels[int(urgency_scores.argmax())])
        return self._suggestion(normalized, probabilities, delta, top)

    def suggest_many(self, texts: Sequence[str], *, top: int = TOP) -> list[Suggestion]:
        return [self.suggest(text, top=top) for text in texts]

    def judge(self, text: str, *, code: str, top: int = TOP) -> Verdict:
        """The suggestion for a text whose category `code` is given, with that category's
        confidence and its urgency for the text (same features, one pass)."""
        normalized = normalize(text)
        columns, values = self.features.transform_one(text)
        probabilities = np.exp(self._log_probabilities(columns, values, len(normalized.split())))
        delta = int(self.urgency.labels[int(self.urgency.scores_one(columns, values).argmax())])
        suggestion = self._suggestion(normalized, probabilities, delta, top)
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
        urgency, reasons = urgency_from_text(normalized=normalized, category=category, delta=delta)
        return Verdict(
            suggestion=suggestion,
            code=code,
            confidence=float(probabilities[index]),
            urgency=urgency,
            reasons=reasons,
        )

    def _label_index(self) -> dict[str, int]:
        return {category.code: i for i, category in enumerate(self.label_categories)}

    def _log_probabilities(self, columns: NDArray[np.intp], values: Floats, words: int) -> Floats:
        return log_probabilities(
            self.categories.scores_one(columns, values),
            self.fields.scores_one(columns, values),
            self.field_index,
            temperature=float(
                temperature_for(words, temperature=self.temperature, shortness=self.shortness)
            ),
            field_weight=self.field_weight,
        )

    def _suggestion(
        self, normalized: str, probabilities: Floats, delta: int, top: int
    ) -> Suggestion:
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
        urgency, reasons = urgency_from_text(normalized=normalized, category=best, delta=delta)
        return Suggestion(
            candidates=candidates,
            field=best.field,
            field_confidence=float(probabilities[same_field].sum()),
            urgency=urgency,
            reasons=reasons,
        )
