"""The public form's "already reported?" hint: probably the same matter, without personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from kontaktpunkt.accounts.models import User
from kontaktpunkt.intake.models import Category, Channel, Concern
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit
from kontaktpunkt.public.services import concern_release

pytestmark = pytest.mark.django_db
LAT, LON = "51.327255", "6.561960"  # the playground at the Südwall
URL = reverse("public:duplicates")


@pytest.fixture
def syringes() -> Category:
    return Category.objects.get(code="cleanliness-syringes")


def reported(category: Category, *, channel: str = Channel.PHONE, north_m: float = 15) -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel(channel),
            description="Auf dem Spielplatz am Südwall liegen Spritzen, Frau Erika Muster sah es",
            category=category,
            lat=float(LAT) + north_m / 111_320,
            lon=float(LON),
            reporter=ReporterInput(name="Erika Muster", email="erika@example.org", consent=True),
        ),
        by=None,
    )


def hints(client: Client, category: Category, **extra: Any) -> list[dict[str, Any]]:
    query = {"category": str(category.pk), "lat": LAT, "lon": LON, "text": "Spritzen am Spielplatz"}
    response = client.get(URL, {**query, **extra})
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["duplicates"]
    return found


def test_a_concern_reported_by_phone_is_offered_without_personal_data(
    client: Client, syringes: Category
):
    concern = reported(syringes)

    (hint,) = hints(client, syringes)

    assert hint["category"] == "Spritzen und Drogenabfall"
    assert hint["distance"] == "15 m"
    assert hint["released"] is False and hint["status"] == ""
    text = client.get(URL, {"category": str(syringes.pk), "lat": LAT, "lon": LON}).content.decode()
    for secret in (concern.reference, concern.public_token, "Erika", "erika@", "Spritzen, Frau"):
        assert secret not in text


def test_a_released_concern_is_offered_with_its_status_to_follow_it(
    client: Client, syringes: Category, kod_lead: User
):
    concern = reported(syringes, channel=Channel.EMAIL)
    concern_release(concern=concern, by=kod_lead)

    (hint,) = hints(client, syringes)

    assert hint["released"] is True and hint["status"] == "neu"


def test_a_concern_of_an_internal_category_is_never_offered(client: Client):
    person = Category.objects.get(code="social-person-in-need")
    reported(person)

    assert client.get(URL, {"category": str(person.pk), "lat": LAT, "lon": LON}).json() == {
        "duplicates": []
    }


def test_something_else_nearby_in_other_words_is_not_offered(client: Client, syringes: Category):
    reported(syringes, north_m=140)

    assert hints(client, syringes, text="Glasscherben und ein kaputtes Schaukelbrett") == []


def test_a_query_that_is_not_complete_offers_nothing(client: Client, syringes: Category):
    reported(syringes)

    assert client.get(URL, {"category": str(syringes.pk)}).json() == {"duplicates": []}


def test_the_hint_is_rate_limited_per_client_address(
    client: Client, syringes: Category, settings: Settings
):
    settings.KP_PUBLIC_SUGGESTIONS_PER_MINUTE = 1
    hints(client, syringes)

    response = client.get(URL, {"category": str(syringes.pk), "lat": LAT, "lon": LON})

    assert response.status_code == 429
    assert "Retry-After" in response
