from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_home_page_lists_the_persons_units_and_roles(client, kod_lead):
    client.force_login(kod_lead)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert kod_lead.memberships.get().unit.name in response.content.decode()


def test_the_health_check_answers_with_the_database_vendor(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_site_stylesheet_is_found_by_the_static_finders():
    assert finders.find("kontaktpunkt/site.css") is not None


def test_every_answer_varies_by_htmx_so_caches_keep_fragments_and_pages_apart(client):
    response = client.get(reverse("login"))
    assert "HX-Request" in response["Vary"]
