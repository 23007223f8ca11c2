"""Category suggestions at intake: a type-ahead over the taxonomy's words, and the classifier's
proposal for the whole text.

The type-ahead ranks the German names and synonyms of the taxonomy for the few letters a clerk types
into the category field: the query is folded like the address search (umlauts spelt out, case and
punctuation ignored) and matched against every category's name, the parts of its name, its group and
its synonyms — exact before prefix before a word inside before substring before a near miss (one typo
in four to seven letters, two in eight or more). A category that matches through several of its words
ranks a little higher, so "spritzn" finds syringes (Spritze, Spritzen) before the drug scene
("Spritzen setzen"). `category_suggestions(*, query, limit)`.

The proposal (`desk_suggestion`) runs the trained classifier (kontaktpunkt.classify) over what the
clerk wrote: the three most likely active categories with calibrated confidences, and the urgency of
the best one, raised by the place when a playground, a school or a kindergarten is near the point
(classify.places). The clerk confirms or corrects; a correction is kept (classify.services).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.classify.loader import classifier, classifier_if_trained
from kontaktpunkt.classify.places import place_facts
from kontaktpunkt.classify.text import normalize
from kontaktpunkt.classify.urgency import urgency_raise_for_context
from kontaktpunkt.core.process_cache import ProcessCache
from kontaktpunkt.geo.gazetteer import FoldedName, fold, match_score
from kontaktpunkt.geo.models import FacilityKind
from kontaktpunkt.geo.resolve import NearbyFacility
from kontaktpunkt.intake.models import Category, Field, Priority

INDEX_MAX_AGE_S = 60.0
# A match at least this good (a substring or better) makes the search for typos unnecessary.
GOOD_MATCH = 0.5
_NAME_PARTS = re.compile(r"\s*[/()]\s*")


@dataclass(frozen=True)
class CategorySuggestion:
    category_id: int
    code: str
    name: str
    field: str
    field_label: str
    matched: str  # the name or synonym that matched best
    score: float  # 0 … 1


@dataclass(frozen=True)
class CategoryData:
    id: int
    code: str
    name: str
    field: str
    group: str = ""
    synonyms: str = ""
    sort_order: int = 0


@dataclass(frozen=True)
class _Term:
    text: str
    folded: FoldedName
    is_name: bool


@dataclass(frozen=True)
class _Entry:
    category: CategoryData
    terms: tuple[_Term, ...]


def _terms(category: CategoryData) -> tuple[_Term, ...]:
    names = [category.name] + [p for p in _NAME_PARTS.split(category.name) if p]
    others = [category.group, *category.synonyms.split(",")]
    terms: list[_Term] = []
    seen: set[str] = set()
    for texts, is_name in ((names, True), (others, False)):
        for text in texts:
            text = " ".join(text.split())
            folded = fold(text)
            if folded and folded not in seen:
                seen.add(folded)
                terms.append(_Term(text=text, folded=FoldedName.of(folded), is_name=is_name))
    return tuple(terms)


def _term_score(query: FoldedName, term: _Term, *, near_misses: bool) -> float:
    score = match_score(query, term.folded, near_misses=near_misses)
    if (
        not score
        and len(term.folded.compact) >= 4
        and query.compact.startswith(term.folded.compact)
    ):
        # The query says more than the term: "spritzenfund" still hints at "Spritze".
        score = 0.6 * len(term.folded.compact) / len(query.compact)
    return score + 0.02 if score and term.is_name else score


class CategoryIndex:
    """The active categories with their searchable words."""

    def __init__(self, categories: Iterable[CategoryData]) -> None:
        self.entries = [_Entry(category=c, terms=_terms(c)) for c in categories]

    def suggest(self, query: str, limit: int) -> list[CategorySuggestion]:
        folded = fold(query)
        if len(folded.replace(" ", "")) < 2 or limit <= 0:
            return []
        whole = FoldedName.of(folded)
        words = [FoldedName.of(w) for w in whole.words] if len(whole.words) > 1 else []
        ranked: list[tuple[float, CategoryData, str]] = []
        # Near misses (typos) are looked for only when nothing matches well as typed.
        for near_misses in (False, True):
            ranked = []
            for entry in self.entries:
                scored = [(_term_score(whole, t, near_misses=near_misses), t) for t in entry.terms]
                best, term = max(scored, key=lambda pair: pair[0])
                if words:
                    per_word = [
                        max(_term_score(w, t, near_misses=near_misses) for t in entry.terms)
                        for w in words
                    ]
                    best = max(best, sum(per_word) / len(per_word))
                if best <= 0:
                    continue
                also = sum(1 for score, _ in scored if score >= 0.3) - 1
                ranked.append((best + 0.01 * min(max(also, 0), 3), entry.category, term.text))
            if any(score >= GOOD_MATCH for score, _, _ in ranked):
                break
        ranked.sort(key=lambda r: (-r[0], r[1].field, r[1].sort_order, r[1].name))
        return [
            CategorySuggestion(
                category_id=category.id,
                code=category.code,
                name=category.name,
                field=category.field,
                field_label=str(Field(category.field).label),
                matched=matched,
                score=round(min(score, 1.0), 3),
            )
            for score, category, matched in ranked[:limit]
        ]


# --------------------------------------------------------------------------- from the database


def _fingerprint() -> tuple[int, int, int]:
    stats = Category.objects.filter(active=True).aggregate(
        count=Count("id"), last=Max("id"), text=Sum(Length("name") + Length("synonyms"))
    )
    return int(stats["count"]), int(stats["last"] or 0), int(stats["text"] or 0)


def category_index_build() -> CategoryIndex:
    rows = Category.objects.filter(active=True).order_by("field", "sort_order", "name")
    return CategoryIndex(
        CategoryData(
            id=c.pk,
            code=c.code,
            name=c.name,
            field=c.field,
            group=c.group,
            synonyms=c.synonyms,
            sort_order=c.sort_order,
        )
        for c in rows
    )


_cache: ProcessCache[CategoryIndex] = ProcessCache(
    build=category_index_build, fingerprint=_fingerprint, max_age_s=INDEX_MAX_AGE_S
)


def category_index() -> CategoryIndex:
    """The process's index of the active categories, rebuilt when they changed."""
    return _cache.get()


def category_index_invalidate() -> None:
    """Forget the index: the next call builds it anew."""
    _cache.invalidate()


def category_suggestions(*, query: str, limit: int) -> list[CategorySuggestion]:
    """The categories that best fit what the clerk typed, best first."""
    return category_index().suggest(query, limit)


# --------------------------------------------------------------------------- the classifier's proposal

OFFERED = 3
# Letters a text needs before it is classified (a word or two).
MIN_LETTERS = 3

REASONS: dict[str, Promise] = {
    "text_model": _("the wording of the text"),
    "weapon": _("a weapon is mentioned"),
    "injury": _("an injury is mentioned"),
    "self_harm": _("self-harm is mentioned"),
    "children_mentioned": _("children are mentioned"),
    "near_playground": _("near a playground"),
    "near_school": _("near a school"),
    "near_kindergarten": _("near a kindergarten"),
    "near_youth_centre": _("near a youth centre"),
}


@dataclass(frozen=True)
class Offer:
    """One category the classifier proposes, as the desk offers it."""

    category_id: int
    code: str
    name: str
    field_label: str
    confidence: float  # calibrated probability 0 … 1

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass(frozen=True)
class NearPlace:
    name: str
    kind_label: str
    distance_m: int


@dataclass(frozen=True)
class DeskSuggestion:
    offers: tuple[Offer, ...]  # best first; only active categories
    urgency: int  # 1 … 4 for the best category, raised by the place
    reasons: tuple[str, ...]  # codes of REASONS
    near: tuple[NearPlace, ...] = ()  # playgrounds, schools … within 100 m, nearest first
    out_of_scope: bool = False  # the text reads like a question, thanks, spam … not like a concern

    @property
    def best(self) -> Offer | None:
        return self.offers[0] if self.offers else None

    @property
    def urgency_label(self) -> str:
        return str(Priority(self.urgency).label)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in dict.fromkeys(self.reasons) if r in REASONS]


def desk_suggestion(*, text: str, lat: float | None, lon: float | None) -> DeskSuggestion | None:
    """The classifier's proposal for a text at a point; None for a text without words yet."""
    if len(normalize(text).replace(" ", "")) < MIN_LETTERS:
        return None
    active = {entry.category.code: entry.category for entry in category_index().entries}
    found = classifier().suggest(text, top=OFFERED + 3)
    facts = place_facts(lat=lat, lon=lon)
    raised = urgency_raise_for_context(found, context=facts.context)
    offers = tuple(
        Offer(
            category_id=active[c.code].id,
            code=c.code,
            name=active[c.code].name,
            field_label=str(Field(c.field).label),
            confidence=c.confidence,
        )
        for c in raised.candidates
        if c.code in active
    )[:OFFERED]
    return DeskSuggestion(
        offers=offers,
        urgency=raised.urgency,
        reasons=raised.reasons,
        near=tuple(_near(f) for f in facts.facilities),
        out_of_scope=found.is_out_of_scope,
    )


def _near(facility: NearbyFacility) -> NearPlace:
    return NearPlace(
        name=facility.name,
        kind_label=str(FacilityKind(facility.kind).label),
        distance_m=round(facility.distance_m / 5) * 5,
    )


def suggested_code(*, text: str) -> str:
    """The best category code for a text from an already trained model, or "" (never trains)."""
    model = classifier_if_trained()
    if model is None or len(normalize(text).replace(" ", "")) < MIN_LETTERS:
        return ""
    return model.suggest(text, top=1).best.code
