"""What the classifier hands back: candidates with confidences, the field and an urgency, and
how likely the text is no concern at all."""

from __future__ import annotations

from dataclasses import dataclass

# A text at least this likely to be out of scope is judged to be no concern: no candidate is a
# good proposal for it. Calibrated, so this is the even-odds point.
OUT_OF_SCOPE_MIN = 0.5


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    field: str
    confidence: float  # calibrated probability 0 … 1 that the text is a concern of this category


@dataclass(frozen=True)
class Suggestion:
    candidates: tuple[Candidate, ...]  # best first
    field: str  # the field of the best candidate
    field_confidence: float  # the summed probability of that field's subcategories
    urgency: int  # 1 low … 4 urgent, for the best candidate
    reasons: tuple[str, ...] = ()  # why the urgency differs from the category's default
    # The calibrated probability that the text is no concern of any of our kinds (a question,
    # thanks, spam …); the candidates' confidences already leave this share out.
    out_of_scope: float = 0.0

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    @property
    def is_out_of_scope(self) -> bool:
        """Whether the text looks like no concern at all, so that no candidate fits it."""
        return self.out_of_scope >= OUT_OF_SCOPE_MIN


@dataclass(frozen=True)
class Verdict:
    """The classifier's view of a text whose category is already given (an Open311 service code)."""

    suggestion: Suggestion  # what the classifier itself proposes
    code: str  # the given category
    confidence: float | None  # its calibrated probability; None for a category the model lacks
    urgency: int  # 1 … 4 for the given category (the suggestion's own when the model lacks it)
    reasons: tuple[str, ...] = ()

    @property
    def disagrees(self) -> bool:
        """Whether the classifier would have chosen another category."""
        return self.suggestion.best.code != self.code


@dataclass(frozen=True)
class PlaceContext:
    """Facts about the concern's location that the caller derives from geography."""

    near_playground: bool = False
    near_school: bool = False
    near_kindergarten: bool = False
    near_youth_centre: bool = False

    def flags(self) -> frozenset[str]:
        names = ("playground", "school", "kindergarten", "youth_centre")
        values = (
            self.near_playground,
            self.near_school,
            self.near_kindergarten,
            self.near_youth_centre,
        )
        return frozenset(name for name, value in zip(names, values, strict=True) if value)
