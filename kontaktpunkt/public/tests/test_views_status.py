"""The status page by secret link: what the reporter may see, and nothing more."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.accounts.models import User
from kontaktpunkt.intake.models import Category, Channel, Concern, Status
from kontaktpunkt.intake.services import (
    ConcernInput,
    ReporterInput,
    concern_add_note,
    concern_submit,
    concern_update,
)

pytestmark = pytest.mark.django_db


def submit(category: Category, **extra: object) -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.WEB,
            description="Sperrmüll auf dem Gehweg",
            category=category,
            lat=51.3336,
            lon=6.5618,
            address="Königstraße 114",
            reporter=ReporterInput(
                name="Anna Beispiel", email="anna@example.org", phone="02151 999", consent=True
            ),
            **extra,  # type: ignore[arg-type]
        ),
        by=None,
    )


def test_the_status_page_shows_reference_category_status_and_public_replies(
    client: Client, category: Category, kod_lead: User
):
    concern = submit(category)
    concern_add_note(concern=concern, text="Wir kümmern uns bis Freitag.", public=True, by=kod_lead)
    concern_add_note(concern=concern, text="Anwohner ist bekannt", public=False, by=kod_lead)
    concern_update(concern=concern, changes={"status": Status.IN_PROGRESS}, by=kod_lead)
    response = client.get(reverse("public:status", args=[concern.public_token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert concern.reference in html
    assert category.name in html
    assert "in Bearbeitung" in html
    assert "Wir kümmern uns bis Freitag." in html
    assert "Anwohner ist bekannt" not in html
    for personal in ("Anna Beispiel", "anna@example.org", "02151 999"):
        assert personal not in html


def test_the_status_page_is_not_indexed_and_sends_no_referrer(client: Client, category: Category):
    concern = submit(category)
    response = client.get(reverse("public:status", args=[concern.public_token]))
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert 'name="robots" content="noindex' in response.content.decode()


def test_the_exact_address_of_a_non_public_category_is_never_shown(
    client: Client, internal_category: Category
):
    concern = submit(internal_category)
    response = client.get(reverse("public:status", args=[concern.public_token]))
    assert response.status_code == 200
    assert "Königstraße 114" not in response.content.decode()


def test_the_address_of_a_public_category_is_shown(client: Client, category: Category):
    concern = submit(category)
    response = client.get(reverse("public:status", args=[concern.public_token]))
    assert "Königstraße 114" in response.content.decode()


def test_an_unknown_token_is_answered_with_a_german_404(client: Client):
    response = client.get(reverse("public:status", args=["gibt-es-nicht"]))
    assert response.status_code == 404
    assert "Nicht gefunden" in response.content.decode()


def test_the_thank_you_page_shows_the_reference_and_the_secret_link(
    client: Client, category: Category
):
    concern = submit(category)
    response = client.get(reverse("public:thanks", args=[concern.public_token]))
    html = response.content.decode()
    assert concern.reference in html
    assert reverse("public:status", args=[concern.public_token]) in html
    assert response["Referrer-Policy"] == "no-referrer"
