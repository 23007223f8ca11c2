from __future__ import annotations

import pytest

from kontaktpunkt.classify.model import Classifier
from kontaktpunkt.classify.suggestion import Candidate, PlaceContext, Suggestion
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.classify.text import normalize
from kontaktpunkt.classify.urgency import (
    urgency_from_text,
    urgency_may_rise,
    urgency_raise,
    urgency_raise_for_context,
)


def _from_text(text: str, code: str, delta: int = 0) -> tuple[int, tuple[str, ...]]:
    category = taxonomy_load().category(code)
    return urgency_from_text(normalized=normalize(text), category=category, delta=delta)


def _suggestion(code: str, urgency: int) -> Suggestion:
    category = taxonomy_load().category(code)
    best = Candidate(code, category.name, category.field, 0.9)
    return Suggestion(
        candidates=(best,), field=category.field, field_confidence=0.9, urgency=urgency
    )


def test_the_default_priority_holds_without_cues():
    assert _from_text("Der Papierkorb ist voll", "cleanliness-litter-bins") == (2, ())


def test_the_learned_step_moves_the_default_and_says_so():
    assert _from_text("seit Monaten, nur zur Info", "security-aggression", delta=-1) == (
        3,
        ("text_model",),
    )


def test_the_urgency_stays_between_one_and_four():
    assert _from_text("egal", "security-fight", delta=2)[0] == 4
    assert _from_text("egal", "order-posters", delta=-2)[0] == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ein Mann bedroht Leute mit einem MESSER", "weapon"),
        ("Er blutet am Kopf und ist nicht ansprechbar", "injury"),
        ("Sie sagt, sie will nicht mehr leben", "self_harm"),
    ],
)
def test_danger_cues_make_a_concern_about_people_urgent(text: str, reason: str):
    assert _from_text(text, "security-harassment", delta=-1) == (4, ("text_model", reason))


def test_danger_cues_do_not_touch_defects():
    assert _from_text("Die Ampel reagiert nicht mehr", "cleanliness-traffic-lights") == (3, ())


def test_syringes_where_children_are_mentioned_are_urgent():
    assert _from_text("Spritzen im Sandkasten", "cleanliness-syringes") == (
        4,
        ("children_mentioned",),
    )


def test_syringes_near_a_playground_become_urgent():
    assert urgency_raise(
        code="cleanliness-syringes", urgency=3, context=PlaceContext(near_playground=True)
    ) == (4, ("near_playground",))


def test_broken_glass_at_a_school_entrance_becomes_urgent():
    assert urgency_raise(
        code="cleanliness-broken-glass", urgency=3, context=PlaceContext(near_school=True)
    ) == (4, ("near_school",))


def test_a_drug_scene_near_a_school_rises_one_step():
    assert urgency_raise(
        code="security-drug-scene", urgency=3, context=PlaceContext(near_school=True)
    ) == (4, ("near_school",))


def test_drinking_near_a_youth_centre_rises_one_step():
    assert urgency_raise(
        code="order-public-drinking", urgency=2, context=PlaceContext(near_youth_centre=True)
    ) == (3, ("near_youth_centre",))


def test_other_kinds_and_other_places_are_not_raised():
    assert urgency_raise(
        code="cleanliness-graffiti", urgency=1, context=PlaceContext(near_school=True)
    ) == (1, ())
    assert urgency_raise(
        code="cleanliness-syringes", urgency=3, context=PlaceContext(near_youth_centre=True)
    ) == (3, ())
    assert urgency_raise(code="cleanliness-syringes", urgency=3, context=PlaceContext()) == (3, ())


def test_raising_for_context_keeps_the_suggestion_when_nothing_changes():
    suggestion = _suggestion("cleanliness-graffiti", 1)
    assert (
        urgency_raise_for_context(suggestion, context=PlaceContext(near_playground=True))
        is suggestion
    )


def test_raising_for_context_adds_the_reason_to_the_suggestion():
    raised = urgency_raise_for_context(
        _suggestion("cleanliness-syringes", 3), context=PlaceContext(near_playground=True)
    )
    assert raised.urgency == 4
    assert raised.reasons == ("near_playground",)


def test_syringes_reported_without_children_rise_near_a_playground(classifier: Classifier):
    suggestion = classifier.suggest("Im Gebüsch an der Ecke liegen wieder drei gebrauchte Spritzen")
    assert suggestion.best.code == "cleanliness-syringes"
    assert suggestion.urgency == 3
    raised = urgency_raise_for_context(suggestion, context=PlaceContext(near_playground=True))
    assert raised.urgency == 4
    assert "near_playground" in raised.reasons


def test_only_categories_a_place_can_raise_ask_for_the_place():
    assert urgency_may_rise("cleanliness-syringes")
    assert urgency_may_rise("order-dog-fouling")
    assert not urgency_may_rise("cleanliness-graffiti")
