"""The Open311 worker intake classifies its batch: the urgency from the text, a doubt as a hint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kontaktpunkt.classify import loader
from kontaktpunkt.geo.models import Facility, FacilityKind
from kontaktpunkt.intake.models import Category, Concern, Priority
from kontaktpunkt.open311.models import Submission
from kontaktpunkt.open311.services import submissions_intake

pytestmark = pytest.mark.django_db

THEATERPLATZ = ("51.33283", "6.56262")


def post(client, raw: str, *, service_code: str, description: str, **more: str) -> str:
    response = client.post(
        reverse("open311:requests", kwargs={"fmt": "json"}),
        {
            "api_key": raw,
            "service_code": service_code,
            "lat": THEATERPLATZ[0],
            "long": THEATERPLATZ[1],
            "description": description,
            **more,
        },
    )
    assert response.status_code == 200, response.content
    return str(response.json()[0]["service_request_id"])


def test_the_worker_takes_the_urgency_of_a_request_from_its_text_and_place(client, api_key):
    Facility.objects.create(
        kind=FacilityKind.PLAYGROUND, name="Spielplatz Südwall", lat=51.33290, lon=6.56270
    )
    syringes = Category.objects.get(code="cleanliness-syringes")
    litter = Category.objects.get(code="cleanliness-litter")
    first = post(
        client,
        api_key[1],
        service_code=syringes.open311_service_code,
        description="Da liegen gebrauchte Spritzen.",
        **{"attribute[count]": "3"},
    )
    second = post(
        client,
        api_key[1],
        service_code=litter.open311_service_code,
        description="Ein paar Papiertüten liegen herum.",
    )

    assert submissions_intake() == 2

    urgent = Concern.objects.get(reference=first)
    assert (urgent.category, urgent.priority) == (syringes, Priority.URGENT)
    assert "near_playground" in urgent.extra["classification"]["reasons"]
    assert urgent.extra["open311"]["client"] == "Mängelmelder-App"
    calm = Concern.objects.get(reference=second)
    assert calm.category == litter
    assert calm.priority <= litter.default_priority


def test_a_request_whose_text_contradicts_its_service_code_keeps_it_with_a_hint(client, api_key):
    graffiti = Category.objects.get(code="cleanliness-graffiti")
    reference = post(
        client,
        api_key[1],
        service_code=graffiti.open311_service_code,
        description="Im Sandkasten liegen gebrauchte Spritzen.",
    )

    submissions_intake()

    concern = Concern.objects.get(reference=reference)
    assert concern.category == graffiti
    hint = concern.extra["classification"]
    assert hint["doubt"] is True
    assert hint["candidates"][0]["code"] == "cleanliness-syringes"


def test_the_post_leaves_the_classifying_to_the_worker(client, api_key):
    loader.classifier_forget()
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    reference = post(
        client,
        api_key[1],
        service_code=graffiti.open311_service_code,
        description="Die Wand ist vollgesprüht.",
    )

    assert Submission.objects.get(reference=reference).processed_at is None
    assert loader._loaded is None  # the request did not even read the model
    submissions_intake()
    assert loader._loaded is not None
