"""The public map: only what a person released, of public categories, and only roughly placed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.intake.models import Category, Channel, Concern
from kontaktpunkt.intake.services import ConcernInput, concern_submit, concern_update
from kontaktpunkt.public.forms import photo_clean
from kontaktpunkt.public.selectors import photo_name
from kontaktpunkt.public.services import concern_release, public_report_submit
from kontaktpunkt.public.tests.conftest import photo

pytestmark = pytest.mark.django_db
LAT, LON = 51.333_712, 6.561_849


def report(category: Category, *, photos: int = 0) -> Concern:
    data = ConcernInput(
        channel=Channel.WEB,
        description="Graffiti am Spielplatz",
        category=category,
        lat=LAT,
        lon=LON,
    )
    uploads = [photo_clean(photo()) for _ in range(photos)]
    return public_report_submit(key=f"key-{category.pk}-{photos}", data=data, photos=uploads)


def features(client: Client) -> list[dict[str, Any]]:
    response = client.get(reverse("public:map_data"))
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["features"]
    return found


def test_nothing_appears_on_the_public_map_before_a_person_released_it(
    client: Client, category: Category, kod_lead: User
):
    concern = report(category)
    assert features(client) == []
    concern_release(concern=concern, by=kod_lead)
    assert len(features(client)) == 1


def test_released_points_are_coarse_and_carry_no_personal_data(
    client: Client, category: Category, kod_lead: User
):
    concern_release(concern=report(category), by=kod_lead)
    (feature,) = features(client)
    lon, lat = feature["geometry"]["coordinates"]
    assert (lat, lon) != (LAT, LON)
    assert abs(lat - LAT) < 0.0003 and abs(lon - LON) < 0.0003
    assert round(lat / 0.0005, 6) == round(lat / 0.0005)
    properties = feature["properties"]
    assert set(properties) == {
        "category", "field", "status", "status_label", "reported_label", "text", "photos",
    }  # fmt: skip


def test_a_concern_of_a_non_public_category_stays_off_the_map_even_when_flagged_public(
    client: Client, internal_category: Category, kod_lead: User
):
    concern = concern_submit(
        data=ConcernInput(
            channel=Channel.WALK_IN,
            description="Szene",
            category=internal_category,
            lat=LAT,
            lon=LON,
        ),
        by=None,
    )
    concern_update(concern=concern, changes={"is_public": True}, by=kod_lead)
    assert features(client) == []


def test_a_photo_is_served_only_after_release_under_its_random_name_with_nosniff(
    client: Client, category: Category, kod_lead: User
):
    concern = report(category, photos=1)
    attachment = Attachment.objects.get(concern=concern)
    url = reverse("public:photo", args=[photo_name(attachment)])
    assert client.get(url).status_code == 404
    concern_release(concern=concern, by=kod_lead)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert features(client)[0]["properties"]["photos"] == [url]


def test_the_map_page_works_without_javascript_and_lists_released_reports(
    client: Client, category: Category, kod_lead: User
):
    concern_release(concern=report(category), by=kod_lead)
    response = client.get(reverse("public:map"))
    assert response.status_code == 200
    assert "Graffiti am Spielplatz" in response.content.decode()
