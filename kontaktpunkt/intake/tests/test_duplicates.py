from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.utils import timezone

from kontaktpunkt.intake.duplicates import (
    DEFAULT_RULE,
    DuplicateCandidate,
    distance_m,
    duplicate_candidates,
    duplicate_rule,
    related_codes,
)
from kontaktpunkt.intake.models import Category, Concern, Field, Status
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


def test_the_distance_label_is_rounded_to_five_metres():
    concern = Concern(reference="KP-2099-000001")

    assert DuplicateCandidate(concern=concern, distance_m=0.4).distance_label == "0 m"
    assert DuplicateCandidate(concern=concern, distance_m=43.0).distance_label == "45 m"
