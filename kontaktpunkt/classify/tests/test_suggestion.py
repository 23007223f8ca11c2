from __future__ import annotations

from kontaktpunkt.classify.suggestion import Candidate, PlaceContext, Suggestion


def test_the_best_candidate_is_the_first():
    first = Candidate("cleanliness-litter", "Müll und Unrat", "cleanliness", 0.8)
    second = Candidate("cleanliness-litter-bins", "Überfüllte Papierkörbe", "cleanliness", 0.1)
    suggestion = Suggestion(
        candidates=(first, second), field="cleanliness", field_confidence=0.9, urgency=2
    )
    assert suggestion.best is first


def test_place_context_flags_name_the_places_that_are_near():
    context = PlaceContext(near_playground=True, near_youth_centre=True)
    assert context.flags() == {"playground", "youth_centre"}
    assert PlaceContext().flags() == frozenset()
