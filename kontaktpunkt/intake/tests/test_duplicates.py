from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kontaktpunkt.intake.duplicates import (
    DEFAULT_RULE,
    LIKELY,
    DuplicateCandidate,
    DuplicateQuery,
    Match,
    Report,
    distance_m,
    duplicate_candidates,
    duplicate_candidates_for,
    duplicate_candidates_of,
    duplicate_rule,
    duplicates_evaluate,
    eval_pairs_load,
    pair_judged_duplicate,
    related_codes,
    report_match,
)
from kontaktpunkt.intake.models import Category, Channel, Concern, Field, Status
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

THEATERPLATZ = (51.33283, 6.56262)


def moved(point, *, north_m=0.0, east_m=0.0):
    lat, lon = point
    return (
        lat + north_m / 111_320.0,
        lon + east_m / (111_320.0 * math.cos(math.radians(lat))),
    )


def concern_at(point, **kwargs):
    lat, lon = point
    return ConcernFactory.create(lat=lat, lon=lon, **kwargs)


@pytest.fixture
def kind():
    return CategoryFactory.create(field=Field.ORDER)


def found(kind, point=THEATERPLATZ, **kwargs):
    """The concerns found as candidates for a new concern of `kind` at `point`."""
    return [
        c.concern for c in duplicate_candidates(category=kind, lat=point[0], lon=point[1], **kwargs)
    ]


def test_an_open_concern_of_the_same_kind_30_m_away_within_the_window_is_found(kind):
    near = concern_at(moved(THEATERPLATZ, north_m=30), category=kind)

    (candidate,) = duplicate_candidates(category=kind, lat=THEATERPLATZ[0], lon=THEATERPLATZ[1])

    assert candidate.concern == near
    assert candidate.distance_m == pytest.approx(30, abs=1)
    assert candidate.distance_label == "30 m"


def test_a_concern_500_m_away_is_not_found(kind):
    concern_at(moved(THEATERPLATZ, east_m=500), category=kind)

    assert found(kind) == []


def test_a_concern_of_another_category_is_not_found(kind):
    concern_at(moved(THEATERPLATZ, north_m=30), category=CategoryFactory.create())

    assert found(kind) == []


def test_a_concern_30_days_old_is_not_found(kind):
    concern_at(
        moved(THEATERPLATZ, north_m=30),
        category=kind,
        reported_at=timezone.now() - timedelta(days=30),
    )

    assert found(kind) == []


@pytest.mark.parametrize(
    "status", [Status.CLOSED, Status.RESOLVED, Status.REJECTED, Status.DUPLICATE]
)
def test_a_concern_that_is_no_longer_open_is_not_found(kind, status):
    concern_at(moved(THEATERPLATZ, north_m=30), category=kind, status=status)

    assert found(kind) == []


@pytest.mark.parametrize("status", [Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING_PARTNER])
def test_every_open_status_counts(kind, status):
    near = concern_at(moved(THEATERPLATZ, north_m=30), category=kind, status=status)

    assert found(kind) == [near]


def test_a_concern_without_a_point_is_not_found(kind):
    ConcernFactory.create(category=kind)

    assert found(kind) == []


def test_candidates_are_ranked_by_distance_nearest_first(kind):
    far = concern_at(moved(THEATERPLATZ, east_m=120), category=kind)
    near = concern_at(moved(THEATERPLATZ, north_m=20), category=kind)
    middle = concern_at(moved(THEATERPLATZ, north_m=-70), category=kind)

    assert found(kind) == [near, middle, far]


def test_the_window_is_counted_back_from_now(kind):
    now = timezone.now()
    concern_at(moved(THEATERPLATZ, north_m=30), category=kind, reported_at=now - timedelta(days=13))

    assert len(found(kind, now=now)) == 1
    assert found(kind, now=now + timedelta(days=2)) == []


def test_the_search_is_limited_to_the_concerns_given(kind):
    visible = concern_at(moved(THEATERPLATZ, north_m=10), category=kind)
    concern_at(moved(THEATERPLATZ, north_m=20), category=kind)

    assert found(kind, among=Concern.objects.filter(pk=visible.pk)) == [visible]


def test_no_more_candidates_than_asked_for_come_back(kind):
    for metres in (10, 20, 30, 40):
        concern_at(moved(THEATERPLATZ, north_m=metres), category=kind)

    assert len(found(kind, limit=2)) == 2


def test_a_category_of_a_related_kind_counts_as_the_same_kind():
    dog_waste = Category.objects.get(code="cleanliness-dog-waste")
    fouling = Category.objects.get(code="order-dog-fouling")
    near = concern_at(moved(THEATERPLATZ, north_m=30), category=fouling)

    assert found(dog_waste) == [near]
    assert related_codes("cleanliness-dog-waste") == {"cleanliness-dog-waste", "order-dog-fouling"}


def test_radius_and_window_depend_on_the_category():
    person = Category.objects.get(code="social-person-in-need")
    lamp = Category.objects.get(code="cleanliness-street-lighting")

    assert duplicate_rule(person).window == timedelta(days=2)
    assert duplicate_rule(lamp).radius_m == 60
    assert duplicate_rule(CategoryFactory.create(field=Field.ORDER)) == DEFAULT_RULE
    assert DEFAULT_RULE.radius_m == 150 and DEFAULT_RULE.window == timedelta(days=14)


def test_a_person_in_need_reported_three_days_ago_is_no_longer_a_candidate():
    person = Category.objects.get(code="social-person-in-need")
    concern_at(
        moved(THEATERPLATZ, north_m=30),
        category=person,
        reported_at=timezone.now() - timedelta(days=3),
    )

    assert found(person) == []


def test_distances_are_great_circle_metres():
    assert distance_m(*THEATERPLATZ, *THEATERPLATZ) == 0
    assert distance_m(*THEATERPLATZ, *moved(THEATERPLATZ, north_m=1000)) == pytest.approx(
        1000, rel=0.005
    )


def candidate_at(metres):
    match = Match(
        distance_m=metres,
        gap=timedelta(hours=1),
        similarity=None,
        same_category=True,
        rule=DEFAULT_RULE,
    )
    return DuplicateCandidate(concern=Concern(reference="KP-2099-000001"), match=match)


def test_the_distance_label_is_rounded_to_five_metres():
    assert candidate_at(0.4).distance_label == "0 m"
    assert candidate_at(43.0).distance_label == "45 m"


# --- ranking by text, place and time


def test_a_concern_in_the_same_words_ranks_before_a_nearer_one_in_other_words(kind):
    other = concern_at(
        moved(THEATERPLATZ, north_m=10), category=kind, description="Laute Musik aus dem Kiosk"
    )
    same = concern_at(
        moved(THEATERPLATZ, north_m=60),
        category=kind,
        description="Am Theaterplatz liegen Spritzen auf der Treppe zur Tiefgarage",
    )

    ranked = found(kind, text="Spritzen auf der Treppe zur Tiefgarage am Theaterplatz")

    assert ranked == [same, other]


def test_concerns_from_every_channel_are_candidates(kind):
    for metres, channel in enumerate(
        [Channel.WEB, Channel.EMAIL, Channel.OPEN311, Channel.PHONE, Channel.WALK_IN], start=1
    ):
        concern_at(moved(THEATERPLATZ, north_m=10 * metres), category=kind, channel=channel)

    channels = {c.channel for c in found(kind, limit=10)}

    assert channels == {"web", "email", "open311", "phone", "walk_in"}


def test_only_likely_candidates_come_back_when_asked(kind):
    likely = concern_at(
        moved(THEATERPLATZ, north_m=5), category=kind, description="Spritzen im Sandkasten"
    )
    concern_at(moved(THEATERPLATZ, north_m=140), category=kind, description="Laute Musik")

    candidates = duplicate_candidates(
        category=kind,
        lat=THEATERPLATZ[0],
        lon=THEATERPLATZ[1],
        text="Spritzen im Sandkasten gefunden",
        likely_only=True,
    )

    assert [c.concern for c in candidates] == [likely]
    assert candidates[0].likely and candidates[0].score >= LIKELY


def test_the_case_page_finds_later_concerns_too_but_not_the_concern_itself(kind):
    now = timezone.now()
    itself = concern_at(THEATERPLATZ, category=kind, reported_at=now - timedelta(days=2))
    later = concern_at(moved(THEATERPLATZ, east_m=20), category=kind, reported_at=now)
    query = DuplicateQuery(
        category=kind,
        lat=THEATERPLATZ[0],
        lon=THEATERPLATZ[1],
        at=itself.reported_at,
        exclude_pk=itself.pk,
        later_too=True,
    )

    assert [c.concern for c in duplicate_candidates_for(query)] == [later]
    assert [c.concern for c in duplicate_candidates_for(query, limit=0)] == []


def report(**overrides):
    values: dict[str, Any] = {
        "text": "Spritzen am Spielplatz",
        "code": "cleanliness-syringes",
        "field": "cleanliness",
        "lat": THEATERPLATZ[0],
        "lon": THEATERPLATZ[1],
        "at": timezone.now(),
    }
    values.update(overrides)
    return Report(**values)


def test_a_pair_outside_the_rules_does_not_match_at_all():
    new = report()
    lat, lon = moved(THEATERPLATZ, north_m=400)

    assert report_match(new, report(lat=lat, lon=lon)) is None
    assert report_match(new, report(at=new.at - timedelta(days=30))) is None
    assert report_match(new, report(code="order-noise", field="order")) is None


def test_the_same_words_nearby_and_recent_match_as_likely_the_same():
    new = report(text="Spritzen am Spielplatz Südwall im Sand")
    earlier = report(text="Im Sandkasten am Spielplatz Südwall liegen Spritzen")

    match = report_match(new, earlier)

    assert match is not None and match.likely
    assert match.similarity is not None and match.similarity > 0.3


def test_a_related_category_scores_lower_than_the_same_one():
    new = report(code="cleanliness-dog-waste", text="Hundekot")
    same = report_match(new, report(code="cleanliness-dog-waste", text="Hundekot"))
    related = report_match(new, report(code="order-dog-fouling", field="order", text="Hundekot"))

    assert same is not None and related is not None
    assert related.score < same.score


def test_without_a_text_the_score_rests_on_place_and_time():
    match = report_match(report(text=""), report(text="Spritzen"))

    assert match is not None and match.similarity is None
    assert match.score == pytest.approx(0.4 * 0.5 + 0.4 + 0.2)


# --- the labelled evaluation set


@pytest.fixture(scope="module")
def pairs():
    return eval_pairs_load()


def test_the_evaluation_set_holds_duplicates_and_the_three_kinds_of_near_misses(pairs):
    kinds: dict[str, list[bool]] = {}
    for pair in pairs:
        kinds.setdefault(pair.kind, []).append(pair.duplicate)

    assert len({pair.id for pair in pairs}) == len(pairs)
    assert all(kinds["duplicate"]) and len(kinds["duplicate"]) >= 100
    for near_miss in (
        "same_place_other_kind",
        "same_kind_other_place",
        "same_place_kind_weeks_apart",
    ):
        assert not any(kinds[near_miss]) and len(kinds[near_miss]) >= 30


def test_on_the_evaluation_set_precision_is_at_least_0_9_at_recall_at_least_0_8(pairs):
    result = duplicates_evaluate(pairs)

    assert result.precision >= 0.9
    assert result.recall >= 0.8


def test_the_rules_alone_would_be_less_precise_than_with_the_score(pairs):
    assert (
        duplicates_evaluate(pairs, threshold=0.0).precision < duplicates_evaluate(pairs).precision
    )


def test_the_database_lookup_judges_evaluation_pairs_as_the_pure_matching_does(pairs):
    categories = {c.code: c for c in Category.objects.all()}
    for pair in pairs[::7]:
        Concern.objects.all().delete()
        first = ConcernFactory.create(
            category=categories[pair.first.code],
            description=pair.first.text,
            lat=pair.first.lat,
            lon=pair.first.lon,
            reported_at=pair.first.at,
        )
        second = pair.second
        candidates = duplicate_candidates(
            category=categories[second.code],
            lat=second.lat,
            lon=second.lon,
            text=second.text,
            now=second.at,
            likely_only=True,
        )

        assert ([c.concern for c in candidates] == [first]) == pair_judged_duplicate(pair), pair.id


# --- the partner's number


def forwarded_under(concern: Concern, number: str) -> None:
    """The concern went to the city works, which took it under `number`."""
    from kontaktpunkt.accounts.models import Unit
    from kontaktpunkt.routing.models import Forward, ForwardState, ForwardTarget, TargetKind

    target, _ = ForwardTarget.objects.get_or_create(
        unit=Unit.objects.get(slug="city-works"),
        defaults={"kind": TargetKind.OPEN311, "endpoint": "http://127.0.0.1:9/georeport/v2/"},
    )
    Forward.objects.create(
        concern=concern, target=target, state=ForwardState.SENT, partner_request_id=number
    )


def test_a_concern_forwarded_under_the_partners_number_is_the_top_candidate_wherever_it_is(kind):
    near = concern_at(THEATERPLATZ, category=kind, description="Müll am Theaterplatz")
    far = concern_at(
        moved(THEATERPLATZ, north_m=3000),
        category=CategoryFactory.create(),
        description="ganz etwas anderes",
        reported_at=timezone.now() - timedelta(days=90),
    )
    forwarded_under(far, "4711")

    candidates = duplicate_candidates(
        category=kind,
        lat=THEATERPLATZ[0],
        lon=THEATERPLATZ[1],
        text="Müll am Theaterplatz",
        partner_reference="4711",
    )

    assert [c.concern for c in candidates] == [far, near]
    assert candidates[0].same_partner_request and candidates[0].score == 1.0
    assert candidates[0].likely and not candidates[1].same_partner_request


def test_a_concern_naming_the_same_partners_number_is_a_candidate_too(kind):
    other = concern_at(moved(THEATERPLATZ, east_m=900), category=kind, partner_reference="4711")

    found_ = found(kind, partner_reference="4711")

    assert found_ == [other]


def test_another_partners_number_or_none_finds_nothing_by_number(kind):
    other = concern_at(moved(THEATERPLATZ, east_m=900), category=kind, partner_reference="4711")
    forwarded_under(other, "4711")

    assert found(kind, partner_reference="4712") == []
    assert found(kind) == []


def test_a_merged_duplicate_is_not_offered_by_its_partners_number(kind):
    concern_at(THEATERPLATZ, category=kind, partner_reference="4711", status=Status.DUPLICATE)

    assert found(kind, partner_reference="4711") == []


def test_the_case_page_finds_the_same_partners_number_without_category_or_point(kind):
    earlier = concern_at(moved(THEATERPLATZ, east_m=5000), category=kind)
    forwarded_under(earlier, "A-17")
    recorded = ConcernFactory.create(category=None, lat=None, lon=None, partner_reference="A-17")

    (candidate,) = duplicate_candidates_of(recorded)

    assert candidate.concern == earlier
    assert candidate.distance_label == "\u2013"
    assert candidate.same_partner_request
