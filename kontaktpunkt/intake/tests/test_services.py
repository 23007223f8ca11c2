from __future__ import annotations

import re

import pytest
from django.db.models import Sum
from django.utils import timezone

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.classify.loader import classifier
from kontaktpunkt.classify.models import Correction
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.intake import services
from kontaktpunkt.intake.models import (
    Category,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    Priority,
    ReferenceCounter,
    ReporterContact,
    Status,
)
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit, concern_update
from kontaktpunkt.testing.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def _submit(**kwargs):
    data = {"channel": Channel.WALK_IN, "description": "Müll an der Haltestelle", **kwargs}
    return concern_submit(data=ConcernInput(**data), by=None)


def test_a_submitted_concern_gets_a_readable_reference_of_its_year():
    concern = _submit()
    assert re.fullmatch(r"KP-\d{4}-\d{6}", concern.reference)
    assert concern.reference.split("-")[1] == str(concern.reported_at.astimezone().year)


def test_references_count_up_without_gaps_within_a_year():
    first, second = _submit(), _submit()
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_a_reference_block_continues_after_single_references():
    single = _submit()
    year = int(single.reference.split("-")[1])
    block = services.concern_reference_block(year=year, count=3)
    assert [int(r[-6:]) for r in block] == [int(single.reference[-6:]) + i for i in (1, 2, 3)]
    assert ReferenceCounter.objects.get(year=year).last_number == int(block[-1][-6:])


def test_the_category_sets_unit_priority_and_deadline():
    category = CategoryFactory.create(default_priority=Priority.HIGH, deadline_hours=8)
    concern = _submit(category=category)
    assert concern.responsible_unit == category.default_unit
    assert concern.priority == Priority.HIGH
    assert concern.due_at is not None and concern.due_at > concern.reported_at


def test_submitting_writes_the_created_event_with_the_initial_values():
    concern = _submit(category=CategoryFactory.create())
    (event,) = ConcernEvent.objects.filter(concern=concern)
    assert event.kind == EventKind.CREATED
    assert event.changes["status"] == [None, "new"]
    assert event.changes["channel"] == [None, "walk_in"]


def test_reporter_contact_is_kept_apart_and_consent_is_recorded():
    concern = _submit(
        reporter=ReporterInput(
            name="Erika Muster", email="erika@example.org", consent=True, wants_updates=True
        )
    )
    contact = ReporterContact.objects.get(concern=concern)
    assert contact.consent and contact.consent_at is not None and contact.wants_updates


def test_updates_without_consent_are_not_kept():
    concern = _submit(
        reporter=ReporterInput(email="erika@example.org", consent=False, wants_updates=True)
    )
    assert not concern.reporter.wants_updates


def test_an_anonymous_concern_has_no_reporter_contact():
    concern = _submit(reporter=ReporterInput())
    assert not ReporterContact.objects.filter(concern=concern).exists()


def test_an_update_records_before_and_after_and_bumps_the_version(kod_officer):
    concern = _submit(category=CategoryFactory.create())
    updated = concern_update(
        concern=concern, changes={"status": Status.TRIAGED}, by=kod_officer, expected_version=1
    )
    assert updated.version == 2
    event = ConcernEvent.objects.filter(concern=concern).latest("id")
    assert event.kind == EventKind.STATUS
    assert event.changes == {"status": ["new", "triaged"]}
    assert event.actor == kod_officer


def test_assigning_to_another_unit_is_an_assignment_event_with_labels(kod_lead):
    concern = _submit(category=CategoryFactory.create())
    streetwork = Unit.objects.get(slug="streetwork")
    concern_update(concern=concern, changes={"responsible_unit": streetwork}, by=kod_lead)
    event = ConcernEvent.objects.filter(concern=concern).latest("id")
    assert event.kind == EventKind.ASSIGNED
    assert event.changes["responsible_unit"][1] == {"id": streetwork.pk, "label": str(streetwork)}


def test_a_change_based_on_a_stale_version_is_refused_and_changes_nothing(kod_officer):
    concern = _submit(category=CategoryFactory.create())
    concern_update(
        concern=concern, changes={"priority": Priority.HIGH}, by=kod_officer, expected_version=1
    )
    with pytest.raises(ConflictError) as caught:
        concern_update(
            concern=concern, changes={"priority": Priority.LOW}, by=kod_officer, expected_version=1
        )
    assert caught.value.current_version == 2
    concern.refresh_from_db()
    assert concern.priority == Priority.HIGH
    assert ConcernEvent.objects.filter(concern=concern).count() == 2


def test_a_change_that_changes_nothing_writes_no_event():
    concern = _submit()
    concern_update(concern=concern, changes={"status": Status.NEW}, by=None)
    assert ConcernEvent.objects.filter(concern=concern).count() == 1


def test_resolving_sets_the_resolution_time():
    concern = _submit()
    updated = concern_update(concern=concern, changes={"status": Status.RESOLVED}, by=None)
    assert updated.resolved_at is not None


def test_a_failed_update_leaves_neither_the_change_nor_the_event(monkeypatch):
    concern = _submit()

    def broken_event(*args, **kwargs):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(services, "_event", broken_event)
    with pytest.raises(RuntimeError):
        concern_update(concern=concern, changes={"status": Status.REJECTED}, by=None)
    concern.refresh_from_db()
    assert concern.status == Status.NEW
    assert concern.version == 1
    assert ConcernEvent.objects.filter(concern=concern).count() == 1


def test_a_failed_submission_leaves_no_concern_no_event_and_no_used_reference(monkeypatch):
    monkeypatch.setattr(
        services, "_event_new", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    with pytest.raises(RuntimeError):
        _submit()
    assert not Concern.objects.exists()
    assert not ConcernEvent.objects.exists()
    assert not ReferenceCounter.objects.filter(last_number__gt=0).exists()


def test_a_note_is_internal_and_a_reply_is_public():
    concern = _submit()
    note = services.concern_add_note(
        concern=concern, text="Intern: Streife informiert", public=False, by=None
    )
    reply = services.concern_add_note(
        concern=concern, text="Wir kümmern uns.", public=True, by=None
    )
    assert (note.kind, note.is_public) == (EventKind.NOTE, False)
    assert (reply.kind, reply.is_public) == (EventKind.REPLY, True)
    concern.refresh_from_db()
    assert concern.version == 3


def test_only_known_fields_can_be_changed():
    concern = _submit()
    with pytest.raises(ValueError, match="reference"):
        concern_update(concern=concern, changes={"reference": "KP-1"}, by=None)


@pytest.fixture
def krefeld_geodata(db):
    from kontaktpunkt.geo.selectors import place_index_invalidate
    from kontaktpunkt.geo.services import geodata_import
    from kontaktpunkt.geo.sources import tenant_geodata_directory

    geodata_import(directory=tenant_geodata_directory("krefeld"))
    place_index_invalidate()


def test_a_concern_at_theaterplatz_lies_in_mitte_and_in_the_city_centre_ban_zone(krefeld_geodata):
    concern = _submit(lat=51.33283, lon=6.56262, address="Theaterplatz")
    assert concern.district is not None and concern.district.name == "Mitte"
    assert concern.quarter is not None
    assert "city_centre_ban" in set(concern.zones.values_list("kind", flat=True))
    assert concern.h3_cell and not concern.outside_city


def test_a_concern_outside_the_city_is_kept_and_marked_as_outside(krefeld_geodata):
    concern = _submit(lat=51.2277, lon=6.7735, address="Düsseldorf, Königsallee")
    assert concern.outside_city
    assert concern.district is None and not concern.zones.exists()


def test_moving_a_concern_resolves_its_place_again(krefeld_geodata):
    concern = _submit(lat=51.2277, lon=6.7735)
    moved = concern_update(concern=concern, changes={"lat": 51.33283, "lon": 6.56262}, by=None)
    assert not moved.outside_city and moved.district is not None and moved.district.name == "Mitte"
    event = ConcernEvent.objects.filter(concern=concern).latest("id")
    assert event.changes["lat"] == [51.2277, 51.33283]


def test_handing_an_escalated_concern_to_another_unit_lets_it_escalate_again():
    concern = _submit(category=CategoryFactory.create())
    Concern.objects.filter(pk=concern.pk).update(escalated_at=timezone.now())
    moved = concern_update(
        concern=concern, changes={"responsible_unit": Unit.objects.get(slug="city-works")}, by=None
    )
    assert moved.escalated_at is None


def test_reopening_a_resolved_concern_lets_it_escalate_again():
    concern = _submit(category=CategoryFactory.create())
    concern_update(concern=concern, changes={"status": Status.RESOLVED}, by=None)
    Concern.objects.filter(pk=concern.pk).update(escalated_at=timezone.now())
    reopened = concern_update(concern=concern, changes={"status": Status.IN_PROGRESS}, by=None)
    assert reopened.escalated_at is None


def test_a_note_does_not_reset_the_escalation():
    concern = _submit(category=CategoryFactory.create())
    concern_update(concern=concern, changes={"status": Status.IN_PROGRESS}, by=None)
    Concern.objects.filter(pk=concern.pk).update(escalated_at=timezone.now())
    concern_update(concern=concern, changes={"priority": Priority.URGENT}, by=None)
    concern.refresh_from_db()
    assert concern.escalated_at is not None


def test_several_concerns_submitted_together_get_consecutive_references_and_one_event_each():
    inputs = [
        services.ConcernInput(channel=Channel.OPEN311, description=f"Müll Nummer {n}")
        for n in range(3)
    ]

    concerns = services.concerns_submit(inputs=inputs, by=None)

    numbers = [int(concern.reference.rsplit("-", 1)[1]) for concern in concerns]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert [c.description for c in concerns] == ["Müll Nummer 0", "Müll Nummer 1", "Müll Nummer 2"]
    assert ConcernEvent.objects.filter(concern__in=concerns, kind=EventKind.CREATED).count() == 3


def test_a_given_reference_is_kept_and_reserves_no_other_number():
    before = ReferenceCounter.objects.aggregate(total=Sum("last_number"))["total"] or 0

    concern = services.concern_submit(
        data=services.ConcernInput(
            channel=Channel.OPEN311, description="Schon nummeriert", reference="KP-2026-777777"
        ),
        by=None,
    )

    assert concern.reference == "KP-2026-777777"
    assert (ReferenceCounter.objects.aggregate(total=Sum("last_number"))["total"] or 0) == before


# --- corrections and the partner's number


@pytest.fixture
def model():
    """The classifier, trained here if the checkout has none yet (the save itself never trains)."""
    return classifier()


def test_changing_the_category_away_from_the_proposal_keeps_a_correction_without_personal_data(
    kod_lead, model
):
    concern = _submit(
        description="Gebrauchte Spritzen im Gebüsch, Rückruf unter 02151 123456",
        reporter=ReporterInput(name="Erika Mustermann", phone="02151 123456"),
    )
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    concern_update(concern=concern, changes={"category": graffiti}, by=kod_lead)

    (kept,) = Correction.objects.all()
    assert (kept.suggested_code, kept.final_code) == ("cleanliness-syringes", graffiti.code)
    assert "02151" not in kept.text and "Mustermann" not in kept.text
    assert kept.urgency == concern.priority


def test_confirming_the_proposed_category_keeps_no_correction(kod_lead, model):
    concern = _submit(description="Gebrauchte Spritzen im Gebüsch")
    syringes = Category.objects.get(code="cleanliness-syringes")

    concern_update(concern=concern, changes={"category": syringes}, by=kod_lead)

    assert not Correction.objects.exists()


def test_a_change_that_leaves_the_category_keeps_no_correction(kod_lead, model):
    graffiti = Category.objects.get(code="cleanliness-graffiti")
    concern = _submit(description="Gebrauchte Spritzen im Gebüsch", category=graffiti)

    concern_update(concern=concern, changes={"priority": Priority.HIGH}, by=kod_lead)

    assert not Correction.objects.exists()


def test_the_partners_number_is_kept_as_people_type_it_without_blanks_and_hash():
    concern = _submit(partner_reference=" #4711 ")

    assert concern.partner_reference == "4711"
