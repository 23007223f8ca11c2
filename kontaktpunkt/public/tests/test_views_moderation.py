"""The moderation queue of the public map: only for those who may release, and every decision kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.intake.models import Category, Channel, Concern, ConcernEvent
from kontaktpunkt.intake.services import ConcernInput
from kontaktpunkt.public.forms import photo_clean
from kontaktpunkt.public.models import Decision, Moderation
from kontaktpunkt.public.selectors import photo_name
from kontaktpunkt.public.services import public_report_submit
from kontaktpunkt.public.tests.conftest import photo
from kontaktpunkt.testing.personas import persona_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(category: Category) -> Concern:
    data = ConcernInput(
        channel=Channel.WEB,
        description="Wilder Müll hinter der Bushaltestelle",
        category=category,
        lat=51.3336,
        lon=6.5618,
    )
    return public_report_submit(key="moderation-test", data=data, photos=[photo_clean(photo())])


def test_the_kod_lead_sees_the_queue_with_text_and_photos(
    client: Client, kod_lead: User, reported: Concern
):
    client.force_login(kod_lead)
    response = client.get(reverse("public:moderation"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reported.reference in html and "Wilder Müll" in html
    name = photo_name(Attachment.objects.get(concern=reported))
    photo_url = reverse("public:moderation_photo", args=[name])
    assert photo_url in html
    assert client.get(photo_url).status_code == 200


@pytest.mark.parametrize(
    "persona",
    ["desk_clerk", "kod_officer", "streetworker", "partner_city_works", "analyst", "admin"],
)
def test_the_moderation_is_refused_to_everybody_else(
    client: Client, reported: Concern, persona: str
):
    client.force_login(persona_create(persona))
    assert client.get(reverse("public:moderation")).status_code == 403
    response = client.post(
        reverse("public:moderate", args=[reported.reference]), {"decision": "release"}
    )
    assert response.status_code == 403
    reported.refresh_from_db()
    assert reported.is_public is False


def test_anonymous_visitors_are_sent_to_the_login(client: Client, reported: Concern):
    response = client.get(reverse("public:moderation"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_release_makes_concern_and_photos_public_and_writes_the_timeline(
    client: Client, kod_lead: User, reported: Concern
):
    client.force_login(kod_lead)
    response = client.post(
        reverse("public:moderate", args=[reported.reference]), {"decision": "release"}
    )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.is_public is True
    assert Attachment.objects.get(concern=reported).is_public is True
    assert Moderation.objects.get(concern=reported).decision == Decision.RELEASED
    event = ConcernEvent.objects.filter(concern=reported).latest("id")
    assert event.changes == {"is_public": [False, True]}
    assert event.actor == kod_lead
    queue = client.get(reverse("public:moderation")).content.decode()
    assert f'data-reference="{reported.reference}"' not in queue


def test_a_withheld_concern_leaves_the_queue_and_stays_off_the_map(
    client: Client, kod_lead: User, reported: Concern
):
    client.force_login(kod_lead)
    client.post(reverse("public:moderate", args=[reported.reference]), {"decision": "withhold"})
    reported.refresh_from_db()
    assert reported.is_public is False
    assert Moderation.objects.get(concern=reported).decision == Decision.WITHHELD
    assert ConcernEvent.objects.filter(concern=reported, changes__moderation__1="withheld").exists()
    queue = client.get(reverse("public:moderation")).content.decode()
    assert f'data-reference="{reported.reference}"' not in queue
    assert client.get(reverse("public:map_data")).json()["features"] == []
