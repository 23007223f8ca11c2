"""The classifier's proposal for concerns that come in without a clerk: e-mail and Open311.

At the desk a person confirms or corrects the proposal (suggest.py). The mailbox and the Open311
server have nobody to ask, so their concerns are classified as they are taken in:

- **Without a category** (an e-mail): the best category is taken, with its urgency, when its
  calibrated confidence is at least TAKE_MIN_CONFIDENCE and the classifier does not judge the
  text to be out of scope (no concern at all: a question about opening hours or fees, thanks,
  spam, an auto-reply …); otherwise the concern stays uncategorised, as before, and waits for
  triage with the proposal beside it and the reason it was not taken (`why_not_taken`:
  "out_of_scope", "low_confidence" or "inactive_category").
- **With a category** (an Open311 request names its service_code): the category stays; the
  urgency is the classifier's for that category and text, raised by the place (a playground, a
  school) like at the desk. When the classifier gives the given category little confidence
  (below DOUBT_MAX_CONFIDENCE) and would choose another, the proposal is kept as a hint.

Either way the proposal is noted on the concern, in `extra["classification"]` (code, name and
confidence of the best candidates, the urgency, whether it was taken, and the probability that the
text is out of scope), where the case page shows it to staff. The candidates are always categories
of the taxonomy, never the classifier's reject class; their confidences already leave out the
share of "no concern at all". One model per process (classify.loader), read once for a whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kontaktpunkt.classify.loader import classifier
from kontaktpunkt.classify.model import Classifier
from kontaktpunkt.classify.places import place_facts
from kontaktpunkt.classify.suggestion import Suggestion
from kontaktpunkt.classify.text import normalize
from kontaktpunkt.classify.urgency import urgency_may_rise, urgency_raise
from kontaktpunkt.intake.models import Category, Priority
from kontaktpunkt.intake.services import ConcernInput
from kontaktpunkt.intake.suggest import MIN_LETTERS, OFFERED

# Calibrated: of the texts the classifier is this sure about, about this share is right.
TAKE_MIN_CONFIDENCE = 0.7
# A given category the classifier believes less than this is worth a hint for staff.
DOUBT_MAX_CONFIDENCE = 0.2
EXTRA_KEY = "classification"
# Why a mail's best category was not taken (the note's "why_not_taken").
WHY_OUT_OF_SCOPE = "out_of_scope"  # the text looks like no concern at all
WHY_UNSURE = "low_confidence"
WHY_INACTIVE = "inactive_category"


def inputs_classify(*, inputs: Sequence[ConcernInput]) -> list[ConcernInput]:
    """The inputs with category, priority and the noted proposal set as the module says."""
    wanted = [_classifiable(data) for data in inputs]
    if not any(wanted):
        return list(inputs)
    model = classifier()
    active = {
        c.code: c for c in Category.objects.filter(active=True).select_related("default_unit")
    }
    return [
        _classified(data, model=model, active=active) if want else data
        for data, want in zip(inputs, wanted, strict=True)
    ]


def _classifiable(data: ConcernInput) -> bool:
    return len(normalize(data.description).replace(" ", "")) >= MIN_LETTERS


def _classified(
    data: ConcernInput, *, model: Classifier, active: dict[str, Category]
) -> ConcernInput:
    if data.category is None:
        return _categorised(data, model.suggest(data.description, top=OFFERED), active)
    verdict = model.judge(data.description, code=data.category.code, top=OFFERED)
    urgency, reasons = verdict.urgency, verdict.reasons
    if verdict.confidence is not None:  # a category the model knows: its urgency counts
        urgency, raised = _raised(verdict.code, urgency, data)
        reasons += raised
    doubt = (
        verdict.disagrees
        and verdict.confidence is not None
        and verdict.confidence < DOUBT_MAX_CONFIDENCE
    )
    note = _note(verdict.suggestion, urgency=urgency, reasons=reasons, taken=False)
    note["given_confidence"] = (
        round(verdict.confidence, 3) if verdict.confidence is not None else None
    )
    note["doubt"] = doubt
    known = verdict.confidence is not None
    priority = Priority(urgency) if data.priority is None and known else data.priority
    return replace(data, priority=priority, extra={**data.extra, EXTRA_KEY: note})


def _categorised(
    data: ConcernInput, suggestion: Suggestion, active: dict[str, Category]
) -> ConcernInput:
    best = suggestion.best
    category = active.get(best.code)
    urgency, reasons = suggestion.urgency, suggestion.reasons
    if category is not None:
        urgency, raised = _raised(best.code, urgency, data)
        reasons += raised
    why_not = _why_not_taken(suggestion, category)
    note = _note(suggestion, urgency=urgency, reasons=reasons, taken=why_not is None)
    if why_not is not None:
        note["why_not_taken"] = why_not
        return replace(data, extra={**data.extra, EXTRA_KEY: note})
    return replace(
        data,
        category=category,
        priority=data.priority or Priority(urgency),
        extra={**data.extra, EXTRA_KEY: note},
    )


def _why_not_taken(suggestion: Suggestion, category: Category | None) -> str | None:
    """Why the best category is not taken (None: it is), the weightiest reason first."""
    if suggestion.is_out_of_scope:
        return WHY_OUT_OF_SCOPE
    if category is None:
        return WHY_INACTIVE
    if suggestion.best.confidence < TAKE_MIN_CONFIDENCE:
        return WHY_UNSURE
    return None


def _raised(code: str, urgency: int, data: ConcernInput) -> tuple[int, tuple[str, ...]]:
    """The urgency raised by the place (a playground, a school) where that matters for `code`."""
    if not urgency_may_rise(code):
        return urgency, ()
    context = place_facts(lat=data.lat, lon=data.lon).context
    return urgency_raise(code=code, urgency=urgency, context=context)


def _note(
    suggestion: Suggestion, *, urgency: int, reasons: tuple[str, ...], taken: bool
) -> dict[str, Any]:
    """The proposal as kept on the concern (JSON)."""
    return {
        "candidates": [
            {"code": c.code, "name": c.name, "confidence": round(c.confidence, 3)}
            for c in suggestion.candidates
        ],
        "urgency": urgency,
        "reasons": list(dict.fromkeys(reasons)),
        "taken": taken,
        "out_of_scope": round(suggestion.out_of_scope, 3),
    }
