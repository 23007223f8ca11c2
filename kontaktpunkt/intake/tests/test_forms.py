from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore

from kontaktpunkt.geo.gazetteer import gazetteer_invalidate
from kontaktpunkt.intake.forms import (
    SESSION_PRESET,
    SESSION_TOKENS,
    UNCATEGORISED,
    DeskForm,
    DuplicateQueryForm,
    SuggestQueryForm,
    category_choices,
    desk_initial,
    desk_record,
)
from kontaktpunkt.intake.models import Category, Channel, Concern, IntakePoint
from kontaktpunkt.tenants.loader import tenant_load

pytestmark = pytest.mark.django_db

KONTAKTPUNKT_CITY = (51.33355, 6.56175)
TOKEN = "a" * 24


@pytest.fixture
def krefeld():
    gazetteer_invalidate()
    tenant_load(name="krefeld")
    yield
    gazetteer_invalidate()


@pytest.fixture
def syringes():
    return Category.objects.get(code="cleanliness-syringes")


def form_data(**overrides):
    data = {
        "token": TOKEN,
        "channel": "walk_in",
        "intake_point": "",
        "description": "Spritzen im Gebüsch neben dem Eingang",
        "category": str(Category.objects.get(code="cleanliness-syringes").pk),
        "address": "Königstraße 114",
        "lat": "51.33355",
        "lon": "6.56175",
    }
    data.update(overrides)
    return data


def bound(**overrides):
    return DeskForm(data=form_data(**overrides))


def session_for(user, client):
    client.force_login(user)
    return SessionStore(session_key=client.session.session_key)


def test_a_complete_form_becomes_the_input_of_the_one_write(syringes, krefeld):
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    form = bound(
        intake_point=str(point.pk),
        channel="phone",
        needs_help="on",
        reporter_name="Erika Muster",
        reporter_email="erika@example.org",
        reporter_phone="02151 12345",
        consent="on",
        wants_updates="on",
    )

    assert form.is_valid(), form.errors
    data = form.concern_input()
    assert data.channel == Channel.PHONE
    assert data.category == syringes
    assert data.intake_point == point
    assert (data.lat, data.lon) == KONTAKTPUNKT_CITY
    assert data.address == "Königstraße 114"
    assert data.needs_help
    assert data.reporter is not None
    assert data.reporter.email == "erika@example.org" and data.reporter.consent
    assert data.reporter.wants_updates


def test_without_contact_data_no_reporter_is_passed_on():
    form = bound()

    assert form.is_valid(), form.errors
    assert form.concern_input().reporter is None


def test_the_text_is_required_and_stripped():
    assert bound(description="   ").errors["description"] == ["Bitte beschreiben Sie das Anliegen."]
    form = bound(description="  Müll  ")
    assert form.is_valid()
    assert form.cleaned_data["description"] == "Müll"


def test_the_text_may_not_be_longer_than_5000_characters():
    assert "description" in bound(description="x" * 5001).errors
    assert bound(description="x" * 5000).is_valid()


def test_a_category_must_be_chosen_or_explicitly_left_out():
    errors = bound(category="").errors["category"]

    assert errors == ["Bitte eine Kategorie wählen oder ausdrücklich „ohne Kategorie“ angeben."]
    form = bound(category=UNCATEGORISED)
    assert form.is_valid()
    assert form.cleaned_data["category"] is None


def test_an_inactive_or_unknown_category_is_refused(syringes):
    Category.objects.filter(pk=syringes.pk).update(active=False)

    assert "category" in DeskForm(data=form_data(category=str(syringes.pk))).errors
    assert "category" in bound(category="999999").errors


def test_the_select_fallback_offers_choose_uncategorised_and_the_categories_per_field():
    choices = category_choices()

    assert choices[0][0] == "" and choices[1][0] == UNCATEGORISED
    fields = [str(label) for label, _ in choices[2:]]
    assert fields == ["Sicherheit", "Ordnung", "Sauberkeit", "Soziales"]


@pytest.mark.parametrize(
    ("lat", "lon"), [("91", "6.5"), ("51.3", "181"), ("nan", "6.5"), ("51.3", "inf"), ("x", "1")]
)
def test_a_point_outside_the_valid_ranges_is_refused(lat, lon):
    form = bound(lat=lat, lon=lon)

    assert not form.is_valid()
    messages = form.errors.get("lat", []) + form.errors.get("lon", [])
    assert "Der Punkt auf der Karte ist keine gültige Position; bitte neu setzen." in messages


def test_half_a_point_is_refused():
    form = bound(lon="")

    assert form.errors["address"] == [
        "Der Punkt auf der Karte ist unvollständig; bitte neu setzen."
    ]


def test_a_typed_address_without_a_point_is_resolved_through_the_gazetteer(krefeld):
    form = bound(address="Königstr. 114", lat="", lon="")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["lat"], form.cleaned_data["lon"]) == KONTAKTPUNKT_CITY
    assert form.cleaned_data["address"] == "Königstr. 114"


def test_an_address_that_cannot_be_resolved_is_kept_as_text_without_a_point(krefeld):
    form = bound(address="hinter dem Kiosk", lat="", lon="")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["lat"] is None and form.cleaned_data["lon"] is None
    assert form.cleaned_data["address"] == "hinter dem Kiosk"


def test_a_point_set_on_the_map_is_kept_even_when_an_address_is_typed(krefeld):
    form = bound(address="Theaterplatz", lat="51.3", lon="6.6")

    assert form.is_valid()
    assert (form.cleaned_data["lat"], form.cleaned_data["lon"]) == (51.3, 6.6)


def test_contact_data_without_consent_is_refused():
    form = bound(reporter_phone="02151 12345")

    assert form.errors["consent"] == [
        "Kontaktdaten werden nur mit Einwilligung gespeichert: bitte das Feld ankreuzen "
        "oder die Kontaktdaten leer lassen."
    ]


def test_status_updates_need_an_email_address():
    form = bound(reporter_name="Erika", consent="on", wants_updates="on")

    assert form.errors["reporter_email"] == ["Statusmeldungen brauchen eine E-Mail-Adresse."]


def test_an_invalid_email_address_and_phone_number_are_refused():
    form = bound(reporter_email="erika(at)example", reporter_phone="call me", consent="on")

    assert form.errors["reporter_email"] == ["Bitte gültige E-Mail-Adresse eingeben."]
    assert form.errors["reporter_phone"] == [
        "Bitte eine Telefonnummer aus Ziffern, Leerzeichen und + ( ) / - angeben."
    ]


def test_a_damaged_token_is_refused():
    assert "token" in bound(token="short").errors
    assert "token" in bound(token="<script>" * 4).errors


def test_a_field_channel_is_offered_but_not_a_citizen_channel():
    assert bound(channel="field").is_valid()
    assert "channel" in bound(channel="web").errors


def test_a_fresh_form_gets_a_new_token_and_the_clerks_intake_point(desk_clerk, client, krefeld):
    session = session_for(desk_clerk, client)

    first = desk_initial(user=desk_clerk, session=session)
    second = desk_initial(user=desk_clerk, session=session)

    assert first["token"] != second["token"]
    assert first["intake_point"] == IntakePoint.objects.get(slug="kontaktpunkt-city")
    assert first["channel"] == Channel.WALK_IN


def test_a_person_without_an_intake_point_records_an_own_observation(analyst, client):
    initial = desk_initial(user=analyst, session=session_for(analyst, client))

    assert initial["intake_point"] is None
    assert initial["channel"] == Channel.FIELD


def test_the_last_choice_of_channel_and_intake_point_is_preset(desk_clerk, client, krefeld):
    session = session_for(desk_clerk, client)
    mobile = IntakePoint.objects.get(slug="mobile-wache-theaterplatz")
    session[SESSION_PRESET] = {"channel": "phone", "intake_point": mobile.pk}

    initial = desk_initial(user=desk_clerk, session=session)

    assert initial["intake_point"] == mobile
    assert initial["channel"] == "phone"


def test_saving_the_same_form_twice_records_one_concern(desk_clerk, client):
    session = session_for(desk_clerk, client)
    first_form, second_form = bound(), bound()
    assert first_form.is_valid() and second_form.is_valid()

    first = desk_record(form=first_form, by=desk_clerk, session=session)
    second = desk_record(form=second_form, by=desk_clerk, session=session)

    assert first.created and not second.created
    assert first.concern == second.concern
    assert Concern.objects.count() == 1


def test_a_second_request_sees_the_token_that_another_request_stored(desk_clerk, client):
    stale = session_for(desk_clerk, client)
    other = SessionStore(session_key=stale.session_key)
    assert SESSION_TOKENS not in stale  # this request has read its session before the other saved
    form = bound()
    assert form.is_valid()
    desk_record(form=form, by=desk_clerk, session=other)

    again = bound()
    assert again.is_valid()
    record = desk_record(form=again, by=desk_clerk, session=stale)

    assert not record.created
    assert Concern.objects.count() == 1


def test_the_same_token_with_other_content_records_a_new_concern(desk_clerk, client):
    session = session_for(desk_clerk, client)
    first, second = bound(), bound(description="Ganz etwas anderes")
    assert first.is_valid() and second.is_valid()

    desk_record(form=first, by=desk_clerk, session=session)
    record = desk_record(form=second, by=desk_clerk, session=session)

    assert record.created
    assert Concern.objects.count() == 2


def test_saving_remembers_the_token_and_the_preset_in_the_session(desk_clerk, client, krefeld):
    session = session_for(desk_clerk, client)
    point = IntakePoint.objects.get(slug="dialogtage")
    form = bound(channel="walk_in", intake_point=str(point.pk))
    assert form.is_valid()

    record = desk_record(form=form, by=desk_clerk, session=session)

    stored = SessionStore(session_key=session.session_key).load()
    assert stored[SESSION_TOKENS][TOKEN][0] == record.concern.reference
    assert stored[SESSION_PRESET] == {"channel": "walk_in", "intake_point": point.pk}


def test_the_duplicate_query_ignores_what_it_cannot_use(syringes):
    assert DuplicateQueryForm(data={"category": "none", "lat": "51", "lon": "6"}).is_valid()
    form = DuplicateQueryForm(data={"category": str(syringes.pk), "lat": "95", "lon": "6"})
    assert not form.is_valid()


def test_the_suggestion_query_is_stripped_and_limited():
    assert SuggestQueryForm(data={"q": "  spritze "}).query() == "spritze"
    assert SuggestQueryForm(data={"q": "x" * 201}).query() == ""
    assert SuggestQueryForm(data={"lat": "51.3", "lon": "6.5"}).point() == (51.3, 6.5)
    assert SuggestQueryForm(data={"lat": "51.3"}).point() is None
