"""Routing decisions, re-routing, forwards in the caller's transaction, and the opt-out."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.models import Job
from kontaktpunkt.geo.models import Area, Zone, ZoneKind
from kontaktpunkt.intake.models import Category, Channel, Concern, ReporterContact
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit, concern_update
from kontaktpunkt.routing.models import Forward, ForwardTarget, RoutingRule
from kontaktpunkt.routing.selectors import routing_latest
from kontaktpunkt.routing.services import FORWARD_KIND, updates_unsubscribe

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[6.560, 51.331], [6.566, 51.331], [6.566, 51.335], [6.560, 51.335], [6.560, 51.331]]
    ],
}

CITY = {
    "type": "Polygon",
    "coordinates": [[[6.4, 51.25], [6.7, 51.25], [6.7, 51.45], [6.4, 51.45], [6.4, 51.25]]],
}


def _submit(category: Category, *, at: datetime | None = None, email: str = "") -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.PHONE,
            description="Glasscherben auf dem Gehweg",
            category=category,
            lat=51.33283,
            lon=6.56262,
            reported_at=at,
            reporter=ReporterInput(email=email, consent=bool(email), wants_updates=bool(email)),
        ),
        by=None,
    )


def test_without_a_rule_the_category_default_decides_and_says_so():
    glass = Category.objects.get(code="cleanliness-broken-glass")

    concern = _submit(glass)

    assert concern.responsible_unit == glass.default_unit
    decision = routing_latest(concern=concern)
    assert decision is not None
    assert decision.rule is None
    assert decision.reason == "Standardzuständigkeit der Kategorie"


def test_a_zone_rule_at_night_sends_the_concern_to_its_unit_and_only_at_night():
    Area.objects.create(level=Area.Level.CITY, name="Krefeld", slug="krefeld", geometry=CITY)
    glass = Category.objects.get(code="cleanliness-broken-glass")
    kod = Unit.objects.get(slug="kod")
    zone = Zone.objects.create(kind=ZoneKind.HOTSPOT, name="Theaterplatz-Test", geometry=SQUARE)
    RoutingRule.objects.create(
        name="Nachts am Theaterplatz: KOD",
        category=glass,
        zone=zone,
        time_from=time(22),
        time_until=time(6),
        unit=kod,
    )

    night = _submit(glass, at=datetime(2026, 11, 20, 23, 15, tzinfo=BERLIN))
    day = _submit(glass, at=datetime(2026, 11, 20, 11, 15, tzinfo=BERLIN))

    assert night.responsible_unit == kod
    assert day.responsible_unit == glass.default_unit


def test_the_case_page_says_why_the_concern_went_to_its_unit(client, kod_lead):
    RoutingRule.objects.create(
        name="Scherben an den KOD",
        category=Category.objects.get(code="cleanliness-broken-glass"),
        unit=Unit.objects.get(slug="kod"),
    )
    concern = _submit(Category.objects.get(code="cleanliness-broken-glass"))
    client.force_login(kod_lead)

    page = client.get(reverse("cases:detail", args=[concern.reference])).content.decode()

    assert "Regel „Scherben an den KOD“" in page


def test_a_new_category_is_routed_again_and_forwarded_to_its_partner():
    city_works = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.create(unit=city_works, kind="email", email="kbk@example.org")
    concern = _submit(Category.objects.get(code="cleanliness-broken-glass"))
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    changed = concern_update(concern=concern, changes={"category": graffiti}, by=None)

    assert changed.responsible_unit == city_works
    assert Forward.objects.filter(concern=concern, target__unit=city_works).count() == 1
    assert Job.objects.filter(kind=FORWARD_KIND).count() == 1


def test_a_submission_rolled_back_leaves_no_decision_no_forward_and_no_job():
    city_works = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.create(unit=city_works, kind="email", email="kbk@example.org")
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    def submit_then_fail() -> None:
        with transaction.atomic():
            _submit(graffiti, email="erika@example.org")
            raise RuntimeError("after routing, before commit")

    with pytest.raises(RuntimeError):
        submit_then_fail()

    assert not Forward.objects.exists()
    assert not Job.objects.exists()


def test_the_opt_out_stops_status_mails_only_after_a_confirming_post(client):
    concern = _submit(
        Category.objects.get(code="cleanliness-broken-glass"), email="erika@example.org"
    )
    url = reverse("routing:unsubscribe", args=[concern.public_token])

    assert client.get(url).status_code == 200
    assert ReporterContact.objects.get(concern=concern).wants_updates
    assert client.post(url).status_code == 200
    assert not ReporterContact.objects.get(concern=concern).wants_updates
    assert updates_unsubscribe(concern=concern) == 0
    assert client.get(reverse("routing:unsubscribe", args=["nope"])).status_code == 404
