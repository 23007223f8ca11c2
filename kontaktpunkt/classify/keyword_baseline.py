"""The baseline: match the taxonomy's names and synonyms in the text, no learning at all.

Every part of a category's name ("Offene Drogenszene / Drogenkonsum" gives two) and every synonym
is a term. A term matches where the normalised text has its words at word starts, so "spritze"
also finds "spritzen". A category scores the summed length of its matching terms, so the more
specific term wins ("glascontainer" over "glas"); ties go to the earlier category in the
taxonomy, and a text without any match gets the fallback (the commonest category of the
training data).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kontaktpunkt.classify.taxonomy import Category, Taxonomy
from kontaktpunkt.classify.text import normalize

_NAME_PARTS = re.compile(r"\s*[/()]\s*")


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern[str]
    weight: int


def _terms(category: Category) -> tuple[_Term, ...]:
    texts = [part for part in _NAME_PARTS.split(category.name) if part] + list(category.synonyms)
    folded = dict.fromkeys(normalize(text) for text in texts)
    return tuple(
        _Term(
            pattern=re.compile(r"\b" + r"\w*\s+".join(map(re.escape, term.split()))),
            weight=len(term),
        )
        for term in folded
        if term
    )


@dataclass(frozen=True)
class KeywordBaseline:
    terms: tuple[tuple[str, tuple[_Term, ...]], ...]  # (code, terms) in taxonomy order
    fallback: str

    def predict_one(self, text: str) -> str:
        normalized = normalize(text)
        best_code, best_score = self.fallback, 0
        for code, terms in self.terms:
            score = sum(term.weight for term in terms if term.pattern.search(normalized))
            if score > best_score:
                best_code, best_score = code, score
        return best_code

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.predict_one(text) for text in texts]


def keyword_baseline_build(taxonomy: Taxonomy, *, fallback: str) -> KeywordBaseline:
    return KeywordBaseline(
        terms=tuple((category.code, _terms(category)) for category in taxonomy.categories),
        fallback=fallback,
    )
