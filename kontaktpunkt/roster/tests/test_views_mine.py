from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.roster.tests.factories import staff, this_monday, tiny_plan

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_sees_only_their_own_published_duties_and_calendar_link(kod_officer):
    plan = tiny_plan(start=this_monday() + timedelta(days=7), users={4: kod_officer})
    own = staff(plan, 4)

    response = _client(kod_officer).get(reverse("roster:mine"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Frühdienst") == 2  # person 4 works early on Monday and Tuesday
    assert "Spätdienst" not in page
    assert "KOD-00" not in page and "KOD-05" not in page
    assert reverse("roster:calendar", args=[own.calendar_token]) in page


def test_someone_not_on_a_roster_is_told_so(kod_officer):
    response = _client(kod_officer).get(reverse("roster:mine"))

    assert response.status_code == 200
    assert "Sie stehen in keinem Dienstplan." in response.content.decode()


def test_renewing_the_calendar_link_stops_the_old_one(kod_officer):
    plan = tiny_plan(start=this_monday(), users={4: kod_officer})
    old = staff(plan, 4).calendar_token
    client = _client(kod_officer)

    response = client.post(reverse("roster:calendar_renew"))

    assert response.status_code == 302
    assert Client().get(reverse("roster:calendar", args=[old])).status_code == 404
    new = staff(plan, 4).calendar_token
    assert Client().get(reverse("roster:calendar", args=[new])).status_code == 200


@pytest.mark.parametrize("persona", ["desk_clerk", "streetworker", "analyst", "admin"])
def test_people_without_duties_of_their_own_have_no_such_page(persona, request):
    response = _client(request.getfixturevalue(persona)).get(reverse("roster:mine"))

    assert response.status_code == 403
