"""Urgency 1 to 4: the category's default, moved by the learned text model, floored by cues in the
text, and raised by the location context the caller knows (a playground, a school entrance).

Reasons are short English codes the user interface translates: `text_model` (the learned
adjustment), `weapon`, `injury`, `self_harm`, `children_mentioned`, `near_<place>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kontaktpunkt.classify.suggestion import PlaceContext, Suggestion
from kontaktpunkt.classify.taxonomy import Category

URGENT = 4
_PEOPLE_FIELDS = frozenset({"security", "social"})


@dataclass(frozen=True)
class _Cue:
    reason: str
    pattern: re.Pattern[str]
    floor: int


# Matched against text.normalize() output (lower case, umlauts spelt out, no punctuation).
_CUES = (
    _Cue(
        "weapon",
        re.compile(
            r"\b(messer\w*|pistole\w*|waffe\w*|schreckschuss\w*|axt|machete\w*|baseballschlaeger\w*"
            r"|eisenstange\w*|schlagstock\w*)\b"
        ),
        URGENT,
    ),
    _Cue(
        "injury",
        re.compile(
            r"\b(blutet\w*|blutend\w*|bewusstlos\w*|nicht (mehr )?ansprechbar|ueberdosis"
            r"|atmet (nicht|kaum|flach|schwach)|krampf\w*|platzwunde)\b"
        ),
        URGENT,
    ),
    _Cue(
        "self_harm",
        re.compile(
            r"\b(suizid\w*|selbstmord\w*|nicht mehr leben|das leben nehmen|umbringen will"
            r"|will springen|springt gleich|ritzt sich|aufgeschnitten)\b"
        ),
        URGENT,
    ),
)
_CHILDREN = re.compile(
    r"\b(kind|kinder\w*|kita\w*|kindergarten\w*|schule\w*|schueler\w*|schulhof\w*|schulweg\w*"
    r"|spielplatz\w*|sandkasten\w*)\b"
)
# Hazards that become urgent where children are: the text mentions them, or the place says so.
_CHILD_HAZARDS = frozenset({"cleanliness-syringes", "cleanliness-broken-glass"})
_CHILD_PLACES = frozenset({"playground", "school", "kindergarten"})


@dataclass(frozen=True)
class _Raise:
    codes: frozenset[str]
    places: frozenset[str]
    to_urgent: bool  # True: straight to 4; False: one step up


_CONTEXT_RAISES = (
    _Raise(_CHILD_HAZARDS, _CHILD_PLACES, to_urgent=True),
    _Raise(
        frozenset(
            {
                "security-drug-scene",
                "security-drug-dealing",
                "order-public-drinking",
                "order-drinking-group",
            }
        ),
        _CHILD_PLACES | {"youth_centre"},
        to_urgent=False,
    ),
    _Raise(frozenset({"security-harassment"}), _CHILD_PLACES, to_urgent=False),
    _Raise(
        frozenset({"cleanliness-dog-waste", "order-dog-fouling"}),
        frozenset({"playground", "kindergarten"}),
        to_urgent=False,
    ),
)


def _clamp(value: int) -> int:
    return max(1, min(URGENT, value))


def urgency_from_text(
    *, normalized: str, category: Category, delta: int
) -> tuple[int, tuple[str, ...]]:
    """The urgency of `category` for a text: default + learned `delta`, then floors from cues."""
    urgency = _clamp(category.default_priority + delta)
    reasons: list[str] = ["text_model"] if urgency != category.default_priority else []
    if category.field in _PEOPLE_FIELDS:
        for cue in _CUES:
            if urgency < cue.floor and cue.pattern.search(normalized):
                urgency = cue.floor
                reasons.append(cue.reason)
    if category.code in _CHILD_HAZARDS and urgency < URGENT and _CHILDREN.search(normalized):
        urgency = URGENT
        reasons.append("children_mentioned")
    return urgency, tuple(reasons)


def urgency_may_rise(code: str) -> bool:
    """Whether the place can raise the urgency of category `code` (else its context is not needed)."""
    return any(code in rule.codes for rule in _CONTEXT_RAISES)


def urgency_raise(*, code: str, urgency: int, context: PlaceContext) -> tuple[int, tuple[str, ...]]:
    """The urgency of a concern of category `code` at a place with `context`, and why it rose."""
    flags = context.flags()
    reasons: list[str] = []
    for rule in _CONTEXT_RAISES:
        places = sorted(rule.places & flags)
        if code not in rule.codes or not places:
            continue
        raised = URGENT if rule.to_urgent else _clamp(urgency + 1)
        if raised > urgency:
            urgency = raised
            reasons += [f"near_{place}" for place in places]
    return urgency, tuple(reasons)


def urgency_raise_for_context(suggestion: Suggestion, *, context: PlaceContext) -> Suggestion:
    """The suggestion with its urgency raised for the location, e.g. syringes near a playground."""
    urgency, reasons = urgency_raise(
        code=suggestion.best.code, urgency=suggestion.urgency, context=context
    )
    if urgency == suggestion.urgency:
        return suggestion
    return replace(suggestion, urgency=urgency, reasons=suggestion.reasons + reasons)
