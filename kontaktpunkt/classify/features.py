"""Text features: TF-IDF over character n-grams within words (2 to 5) and words (1 and 2).

The analysers run on text.normalize() output, so case, umlauts and punctuation do not matter;
character n-grams make typos, dialect spellings and compounds share most of their features.
scikit-learn fits the vocabulary and the IDF weights (`vectorizer_fit`, imported lazily); the
fitted `Vectorizer` keeps only a dict and an array and transforms without scikit-learn, so that
loading a stored model does not have to import it. The arithmetic is scikit-learn's: sublinear
term frequency (1 + log tf) times IDF, L2-normalised per vectoriser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kontaktpunkt.classify.text import normalize

CHAR_RANGE = (2, 5)
WORD_RANGE = (1, 2)
CHAR_MIN_DF = 2
_WORD = re.compile(r"\w+")


def char_ngrams(text: str) -> list[str]:
    """Character n-grams within each word padded by a space, like scikit-learn's char_wb."""
    low, high = CHAR_RANGE
    grams = []
    for word in normalize(text).split():
        padded = f" {word} "
        for size in range(low, high + 1):
            grams += [padded[i : i + size] for i in range(max(1, len(padded) - size + 1))]
            if len(padded) <= size:
                break
    return grams


def word_ngrams(text: str) -> list[str]:
    """Words and word pairs of the normalised text."""
    words = _WORD.findall(normalize(text))
    low, high = WORD_RANGE
    return [
        " ".join(words[i : i + size])
        for size in range(low, high + 1)
        for i in range(len(words) - size + 1)
    ]


ANALYZERS: dict[str, Callable[[str], list[str]]] = {"chars": char_ngrams, "words": word_ngrams}


@dataclass(frozen=True, eq=False)
class Vectorizer:
    kind: str  # a key of ANALYZERS
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]

    def transform_one(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The non-zero columns of one text and their L2-normalised TF-IDF values."""
        counts = Counter(
            column
            for gram in ANALYZERS[self.kind](text)
            if (column := self.vocabulary.get(gram)) is not None
        )
        if not counts:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[columns]
        return columns, values / np.linalg.norm(values)


@dataclass(frozen=True, eq=False)
class Features:
    """The vectorisers side by side: columns of the second follow those of the first."""

    vectorizers: tuple[Vectorizer, ...]

    @property
    def width(self) -> int:
        return sum(len(v.vocabulary) for v in self.vectorizers)

    def transform_one(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        columns, values, offset = [], [], 0
        for vectorizer in self.vectorizers:
            c, v = vectorizer.transform_one(text)
            columns.append(c + offset)
            values.append(v)
            offset += len(vectorizer.vocabulary)
        return np.concatenate(columns), np.concatenate(values)


def vectorizer_fit(kind: str, texts: Sequence[str]) -> tuple[Vectorizer, Any]:
    """Fit one vectoriser with scikit-learn; returns it and the training matrix (sparse CSR)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    fitted = TfidfVectorizer(
        analyzer=ANALYZERS[kind], min_df=CHAR_MIN_DF if kind == "chars" else 1, sublinear_tf=True
    )
    matrix = fitted.fit_transform(texts)
    vocabulary = {str(gram): int(column) for gram, column in fitted.vocabulary_.items()}
    return Vectorizer(
        kind=kind, vocabulary=vocabulary, idf=np.asarray(fitted.idf_, dtype=np.float64)
    ), matrix


def features_fit(texts: Sequence[str]) -> tuple[Features, Any]:
    """Fit every vectoriser; returns the features and the joined training matrix (sparse CSR)."""
    from scipy import sparse  # type: ignore[import-untyped]

    fitted = [vectorizer_fit(kind, texts) for kind in ANALYZERS]
    matrix = sparse.hstack([m for _, m in fitted], format="csr")
    return Features(vectorizers=tuple(v for v, _ in fitted)), matrix
