from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from kontaktpunkt.cases.forms import QueueFilterForm, SavedFilterForm
from kontaktpunkt.cases.queries import UNASSIGNED, QueueFilter, Sort
from kontaktpunkt.geo.models import Area
from kontaktpunkt.intake.models import Channel, Priority, Status
from kontaktpunkt.testing.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(query: str, **kwargs) -> QueueFilterForm:
    return QueueFilterForm(QueryDict(query), **kwargs)


def test_an_empty_filter_is_valid_and_sorts_newest_first():
    form = _form("")

    assert form.is_valid(), form.errors
    assert form.queue_filter() == QueueFilter(sort=Sort.NEWEST)


def test_every_filter_is_read_from_the_query_string():
    category = CategoryFactory.create(code="order-noise-test")
    district = Area.objects.create(level="district", name="Mitte", slug="mitte", geometry={})
    quarter = Area.objects.create(
        level="quarter", name="Dionysius", slug="dionysius", parent=district, geometry={}
    )
    person = UserFactory.create()
    form = _form(
        "status=new&status=open&category=order-noise-test&field=order&district=mitte"
        f"&quarter=dionysius&priority=3&channel=phone&overdue=on&assignee={person.pk}"
        "&reported_from=2026-02-01&reported_to=28.02.2026&sort=due",
        assignees=[person],
    )

    assert form.is_valid(), form.errors
    assert form.queue_filter() == QueueFilter(
        statuses=(Status.NEW, "open"),
        category=category,
        field="order",
        district_id=district.pk,
        quarter_id=quarter.pk,
        priority=Priority.HIGH,
        channel=Channel.PHONE,
        overdue=True,
        assignee=person.pk,
        reported_from=date(2026, 2, 1),
        reported_to=date(2026, 2, 28),
        sort=Sort.DUE,
    )


def test_nobody_is_a_choice_of_the_assignee_filter():
    form = _form(f"assignee={UNASSIGNED}")

    assert form.is_valid()
    assert form.queue_filter().assignee == UNASSIGNED


def test_a_person_outside_the_unit_is_no_valid_assignee():
    member, stranger = UserFactory.create(), UserFactory.create()

    form = _form(f"assignee={stranger.pk}", assignees=[member])

    assert not form.is_valid()
    assert "assignee" in form.errors


@pytest.mark.parametrize(
    ("query", "field", "german"),
    [
        ("status=lost", "status", "Bitte eine gültige Auswahl treffen."),
        ("category=no-such-category", "category", "Bitte eine gültige Auswahl treffen."),
        ("district=atlantis", "district", "Bitte eine gültige Auswahl treffen."),
        ("priority=9", "priority", "Bitte eine gültige Auswahl treffen."),
        ("priority=high", "priority", "Bitte eine gültige Auswahl treffen."),
        ("channel=pigeon", "channel", "Bitte eine gültige Auswahl treffen."),
        ("sort=random", "sort", "Bitte eine gültige Auswahl treffen."),
        ("reported_from=yesterday", "reported_from", "Bitte ein gültiges Datum eingeben."),
        ("reported_from=2026-02-30", "reported_from", "Bitte ein gültiges Datum eingeben."),
        (
            "reported_to=9999-12-31",
            "reported_to",
            "Bitte ein Datum zwischen 01.01.2000 und 31.12.2099 angeben.",
        ),
        (
            "reported_from=2026-03-02&reported_to=2026-03-01",
            "reported_to",
            "Das Ende des Zeitraums liegt vor seinem Anfang.",
        ),
    ],
)
def test_invalid_values_are_refused_with_a_german_message(query, field, german):
    form = _form(query)

    assert not form.is_valid()
    assert any(german in message for message in form.errors[field]), form.errors[field]


def test_a_saved_filter_needs_a_name():
    form = SavedFilterForm({"name": "   ", "query": "unit=kod"})

    assert not form.is_valid()
    assert form.errors["name"] == ["Dieses Feld ist zwingend erforderlich."]
