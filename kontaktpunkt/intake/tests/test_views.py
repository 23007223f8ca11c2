from __future__ import annotations

import math
import re
import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kontaktpunkt.classify.loader import classifier
from kontaktpunkt.classify.models import Correction
from kontaktpunkt.geo.gazetteer import gazetteer_invalidate
from kontaktpunkt.intake.forms import SESSION_PRESET
from kontaktpunkt.intake.models import Category, Channel, Concern, IntakePoint, Status
from kontaktpunkt.intake.suggest import category_index_invalidate
from kontaktpunkt.public.forms import ticket_issue
from kontaktpunkt.tenants.loader import tenant_load
from kontaktpunkt.testing.factories import ConcernFactory

pytestmark = pytest.mark.django_db

DESK = reverse("intake:desk")
KONTAKTPUNKT_CITY = (51.33355, 6.56175)


@pytest.fixture(autouse=True)
def _fresh_indexes():
    gazetteer_invalidate()
    category_index_invalidate()
    yield
    gazetteer_invalidate()
    category_index_invalidate()


@pytest.fixture
def krefeld():
    tenant_load(name="krefeld")


@pytest.fixture
def clerk(client, desk_clerk, krefeld):
    client.force_login(desk_clerk)
    return client


@pytest.fixture
def syringes():
    return Category.objects.get(code="cleanliness-syringes")


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


def desk_post(client, **overrides):
    data = {
        "token": token_of(client.get(DESK)),
        "channel": "walk_in",
        "intake_point": str(IntakePoint.objects.get(slug="kontaktpunkt-city").pk),
        "description": "Seit heute Morgen liegen Spritzen im Gebüsch.",
        "category": str(Category.objects.get(code="cleanliness-syringes").pk),
        "address": "Königstraße 114",
        "lat": "51.33355",
        "lon": "6.56175",
    }
    data.update(overrides)
    return client.post(DESK, data)


def test_the_desk_opens_with_the_text_field_focused_and_the_clerks_presets(clerk):
    response = clerk.get(DESK)
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r'<textarea[^>]*name="description"[^>]*autofocus', html)
    assert 'id="id_category_search"' in html and 'role="combobox"' in html
    assert 'id="id_address"' in html and 'id="duplicates"' in html
    assert 'aria-keyshortcuts="Control+Enter"' in html
    assert '<option value="walk_in" selected>' in html
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    assert f'<option value="{point.pk}" selected>' in html


def test_each_opening_of_the_desk_gets_its_own_token(clerk):
    assert token_of(clerk.get(DESK)) != token_of(clerk.get(DESK))


def test_the_desk_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(DESK)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["partner_city_works", "analyst", "admin", "dpo"])
def test_who_may_not_record_gets_403_at_the_desk(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(DESK).status_code == 403
    assert client.get(reverse("intake:suggest_categories"), {"q": "spritze"}).status_code == 403
    assert client.get(reverse("intake:suggest_places"), {"q": "theater"}).status_code == 403
    assert client.get(reverse("intake:duplicates")).status_code == 403


@pytest.mark.parametrize("persona", ["desk_clerk", "kod_officer", "kod_lead", "streetworker"])
def test_everyone_who_records_concerns_may_open_the_desk(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(DESK).status_code == 200


def test_the_desk_saves_a_concern_with_everything_and_opens_its_case(clerk, desk_clerk, syringes):
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    response = desk_post(
        clerk,
        needs_help="on",
        reporter_name="Erika Muster",
        reporter_email="erika@example.org",
        reporter_phone="02151 12345",
        consent="on",
        wants_updates="on",
    )

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[concern.reference])
    assert concern.description == "Seit heute Morgen liegen Spritzen im Gebüsch."
    assert concern.category == syringes
    assert concern.channel == Channel.WALK_IN
    assert concern.intake_point == point
    assert concern.address == "Königstraße 114"
    assert (concern.lat, concern.lon) == KONTAKTPUNKT_CITY
    assert concern.district is not None and concern.district.name == "Mitte"
    assert concern.h3_cell
    assert concern.needs_help
    assert concern.created_by == desk_clerk
    assert concern.status == Status.NEW
    assert concern.reporter.email == "erika@example.org"
    assert concern.reporter.consent and concern.reporter.wants_updates
    (message,) = get_messages(response.wsgi_request)
    assert concern.reference in str(message)
    assert str(message) == f"Anliegen {concern.reference} wurde erfasst."


def test_the_desk_remembers_channel_and_intake_point_for_the_next_concern(clerk):
    mobile = IntakePoint.objects.get(slug="mobile-wache-theaterplatz")
    desk_post(clerk, channel="phone", intake_point=str(mobile.pk))

    html = clerk.get(DESK).content.decode()

    assert clerk.session[SESSION_PRESET] == {"channel": "phone", "intake_point": mobile.pk}
    assert '<option value="phone" selected>' in html
    assert f'<option value="{mobile.pk}" selected>' in html


def test_invalid_input_is_shown_again_in_german_with_everything_typed_kept(clerk):
    response = desk_post(
        clerk,
        description="Spritzen am Spielplatz",
        category="",
        category_search="spritz",
        address="Königstraße 114",
        reporter_name="Erika Muster",
        reporter_email="kein-at-zeichen",
        reporter_phone="02151 12345",
        needs_help="on",
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert Concern.objects.count() == 0
    assert "Das Anliegen ist noch nicht gespeichert." in html
    assert "Bitte eine Kategorie wählen oder ausdrücklich „ohne Kategorie“ angeben." in html
    assert "Bitte gültige E-Mail-Adresse eingeben." in html
    assert "Kontaktdaten werden nur mit Einwilligung gespeichert" in html
    assert re.search(r">\s*Spritzen am Spielplatz</textarea>", html)
    assert 'value="spritz"' in html
    assert 'value="Königstraße 114"' in html
    assert 'value="Erika Muster"' in html
    assert 'value="kein-at-zeichen"' in html
    assert re.search(r'name="needs_help"[^>]*checked', html)
    assert re.search(r'<details class="reporter" open>', html)
    assert 'aria-invalid="true"' in html


def test_a_shown_again_form_keeps_its_token_so_the_corrected_save_is_still_one(clerk):
    first = desk_post(clerk, description="")
    token = token_of(first)

    desk_post(clerk, token=token)
    desk_post(clerk, token=token)

    assert Concern.objects.count() == 1


def test_a_double_submit_of_the_same_form_records_one_concern(clerk):
    token = token_of(clerk.get(DESK))

    first = desk_post(clerk, token=token)
    second = desk_post(clerk, token=token)

    concern = Concern.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("cases:detail", args=[concern.reference])
    )
    (message,) = get_messages(second.wsgi_request)
    assert "wurde bereits erfasst" in str(message)


def test_two_forms_record_two_concerns(clerk):
    desk_post(clerk)
    desk_post(clerk)

    assert Concern.objects.count() == 2


def test_an_explicitly_uncategorised_concern_is_saved_without_category(clerk):
    desk_post(clerk, category="none")

    concern = Concern.objects.get()
    assert concern.category is None
    assert concern.responsible_unit is None


def test_without_javascript_the_typed_address_is_resolved_on_the_server(clerk):
    desk_post(clerk, address="Königstr. 114", lat="", lon="")

    concern = Concern.objects.get()
    assert (concern.lat, concern.lon) == KONTAKTPUNKT_CITY
    assert concern.address == "Königstr. 114"


def test_without_javascript_the_category_select_lists_every_category(clerk, syringes):
    html = clerk.get(DESK).content.decode()

    assert f'<option value="{syringes.pk}">Spritzen und Drogenabfall</option>' in html
    assert '<option value="none">Ohne Kategorie (später einordnen)</option>' in html


def test_a_point_outside_the_valid_range_is_refused_with_a_german_message(clerk):
    response = desk_post(clerk, lat="123", lon="6.5")

    assert response.status_code == 400
    assert "Der Punkt auf der Karte ist keine gültige Position" in response.content.decode()


def test_the_desk_answers_only_get_and_post(clerk):
    assert clerk.put(DESK).status_code == 405


def test_category_suggestions_come_as_options_with_syringes_first(clerk, syringes):
    response = clerk.get(reverse("intake:suggest_categories"), {"q": "spritze"})
    html = response.content.decode()

    assert response.status_code == 200
    first = re.search(r'<li role="option" id="([^"]+)" data-value="([^"]+)"', html)
    assert first is not None and first.group(2) == str(syringes.pk)
    assert 'data-value="none"' in html
    assert "Sauberkeit" in html


def test_no_category_suggestion_for_an_empty_query(clerk):
    assert clerk.get(reverse("intake:suggest_categories")).content.decode().strip() == ""


def test_place_suggestions_carry_the_point_of_each_hit(clerk):
    response = clerk.get(reverse("intake:suggest_places"), {"q": "Königstraße 114"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-label="Königstraße 114"' in html
    assert 'data-lat="51.333550" data-lon="6.561750"' in html


def test_a_place_that_is_not_known_says_it_is_kept_as_text(clerk):
    html = clerk.get(reverse("intake:suggest_places"), {"q": "Nirgendwostraße"}).content.decode()

    assert 'aria-disabled="true"' in html
    assert "Kein Ort gefunden" in html


def test_the_place_near_a_pin_is_offered_for_the_address_field(clerk):
    response = clerk.get(reverse("intake:suggest_places"), {"lat": "51.33356", "lon": "6.56176"})

    assert 'data-label="nahe ' in response.content.decode()


def duplicate_hint(client, category, lat, lon):
    url = reverse("intake:duplicates")
    return client.get(url, {"category": category.pk, "lat": lat, "lon": lon}).content.decode()


def test_the_duplicate_hint_lists_an_open_concern_of_the_same_kind_30_m_away(clerk, syringes):
    lat, lon = KONTAKTPUNKT_CITY
    near = ConcernFactory.create(
        category=syringes, lat=lat + 30 / 111_320, lon=lon, address="Königstraße 110"
    )

    html = duplicate_hint(clerk, syringes, lat, lon)

    assert near.reference in html
    assert reverse("cases:detail", args=[near.reference]) in html
    assert "30 m" in html
    assert "Spritzen und Drogenabfall" in html
    assert "neu" in html
    assert "1 offenes Anliegen dieser Art in der Nähe" in html


def test_the_duplicate_hint_says_so_when_there_is_none(clerk, syringes):
    lat, lon = KONTAKTPUNKT_CITY
    ConcernFactory.create(category=syringes, lat=lat + 500 / 111_320, lon=lon)

    html = duplicate_hint(clerk, syringes, lat, lon)

    assert "Kein offenes Anliegen dieser Art im Umkreis von 150 m in den letzten 14 Tagen." in html


def test_the_duplicate_hint_asks_for_category_and_place_first(clerk):
    html = clerk.get(reverse("intake:duplicates"), {"lat": "51.3", "lon": "6.5"}).content.decode()

    assert "Kategorie und Ort wählen" in html


def test_the_duplicate_hint_shows_only_concerns_the_person_may_see(client, kod_officer, syringes):
    client.force_login(kod_officer)
    lat, lon = KONTAKTPUNKT_CITY
    hidden = ConcernFactory.create(category=syringes, lat=lat, lon=lon)

    assert hidden.reference not in duplicate_hint(client, syringes, lat, lon)


def test_the_desk_shown_again_includes_the_duplicate_hint(clerk, syringes):
    lat, lon = KONTAKTPUNKT_CITY
    near = ConcernFactory.create(category=syringes, lat=lat, lon=lon + 20 / 111_320 / math.cos(0.9))

    response = desk_post(clerk, description="")

    assert response.status_code == 400
    assert near.reference in response.content.decode()


def test_an_officer_who_records_for_another_unit_comes_back_to_the_desk_with_the_reference(
    client, kod_officer, krefeld
):
    client.force_login(kod_officer)
    response = desk_post(client)  # syringes go to street cleaning, whose cases the KOD does not see
    concern = Concern.objects.get()
    assert (
        concern.responsible_unit is not None and concern.responsible_unit.slug == "street-cleaning"
    )
    assert response.status_code == 302 and response["Location"] == DESK
    page = client.get(DESK).content.decode()
    assert concern.reference in page


# --- the proposal from the text (issue 6)

SUEDWALL_PLAYGROUND = (51.327255, 6.56196)
STADTWALD = (51.3545, 6.5835)  # a wood: no playground, school or kindergarten within 100 m


def proposal(client, text, point=None):
    query = {"description": text}
    if point:
        query.update(lat=str(point[0]), lon=str(point[1]))
    return client.get(reverse("intake:classification"), query).content.decode()


def offered_codes(html):
    return re.findall(r'<li class="offer" data-code="([^"]+)"', html)


def suggested_urgency(html):
    match = re.search(r'id="suggested-urgency" data-value="(\d)"', html)
    assert match is not None
    return int(match.group(1))


def test_the_proposal_offers_three_categories_with_their_confidence(clerk, syringes):
    html = proposal(clerk, "Seit Tagen liegt am Spielplatz Westwall ein Haufen Spritzen")

    assert offered_codes(html)[0] == "cleanliness-syringes"
    assert len(offered_codes(html)) == 3
    assert f'data-pick-category="{syringes.pk}" data-label="Spritzen und Drogenabfall"' in html
    percents = [int(p) for p in re.findall(r'<meter min="0" max="100" value="(\d+)"', html)]
    assert percents == sorted(percents, reverse=True) and percents[0] >= 50


def test_the_suggested_urgency_is_raised_near_a_playground(clerk):
    text = "Da liegen drei gebrauchte Spritzen im Gebüsch"
    far = proposal(clerk, text, STADTWALD)
    near = proposal(clerk, text, SUEDWALL_PLAYGROUND)

    assert offered_codes(near)[0] == offered_codes(far)[0] == "cleanliness-syringes"
    assert suggested_urgency(far) < 4
    assert suggested_urgency(near) == 4
    assert "Südwall" in near and "Südwall" not in far
    assert 'data-priority="4"' in near


def test_a_text_that_is_no_concern_gets_no_proposal_hint_but_a_real_one_does_not(clerk):
    question = proposal(clerk, "Ich möchte wissen, wer für meine Straße zuständig ist")
    concern = proposal(clerk, "Seit Tagen liegt am Spielplatz Westwall ein Haufen Spritzen")

    assert "Kein passender Vorschlag" in question
    assert "Kein passender Vorschlag" not in concern


def test_without_words_there_is_no_proposal_yet(clerk):
    assert offered_codes(proposal(clerk, "  ?! ")) == []
    assert "suggested-urgency" not in proposal(clerk, "")


def test_the_desk_saves_the_chosen_urgency(clerk):
    desk_post(clerk, priority="4")

    assert Concern.objects.get().priority == 4


def test_the_desk_without_a_chosen_urgency_takes_the_category_default(clerk, syringes):
    desk_post(clerk, priority="")

    assert Concern.objects.get().priority == syringes.default_priority


@pytest.fixture
def model():
    """The classifier, read (or trained) now: the desk's save never trains it."""
    return classifier()


def test_a_category_other_than_the_proposed_one_is_kept_as_a_correction(clerk, model):

    desk_post(
        clerk,
        description="Spritzen im Gebüsch am Spielplatz, Rückruf unter 0151 23456789",
        category=str(Category.objects.get(code="cleanliness-litter").pk),
        reporter_name="Erika Muster",
        reporter_email="erika@example.org",
        consent="on",
    )

    (correction,) = Correction.objects.all()
    assert correction.suggested_code == "cleanliness-syringes"
    assert correction.final_code == "cleanliness-litter"
    assert correction.text == "Spritzen im Gebüsch am Spielplatz, Rückruf unter [Telefon]"
    assert "Erika" not in str(vars(correction)) and "erika@" not in str(vars(correction))


def test_taking_the_proposed_category_keeps_no_correction(clerk, model):

    desk_post(clerk, description="Spritzen im Gebüsch am Spielplatz")

    assert Concern.objects.count() == 1
    assert not Correction.objects.exists()


def test_the_desk_shown_again_includes_the_proposal(clerk):
    response = desk_post(clerk, category="", description="Spritzen im Gebüsch am Spielplatz")

    assert response.status_code == 400
    assert offered_codes(response.content.decode())[0] == "cleanliness-syringes"


# --- duplicates across channels (issue 6)


def web_report(client, category, text, point):
    data = {
        "ticket": ticket_issue(now=time.time() - 60),
        "website": "",
        "category": str(category.pk),
        "description": text,
        "address": "",
        "lat": str(point[0]),
        "lon": str(point[1]),
    }
    response = client.post(reverse("public:report"), data)
    assert response.status_code == 302
    return Concern.objects.get(channel=Channel.WEB)


def test_a_duplicate_reported_on_the_web_is_offered_to_the_desk(
    client, desk_clerk, krefeld, syringes
):
    earlier = web_report(
        client,
        syringes,
        "Auf dem Spielplatz am Südwall liegen gebrauchte Spritzen im Sand",
        SUEDWALL_PLAYGROUND,
    )
    client.force_login(desk_clerk)
    lat, lon = SUEDWALL_PLAYGROUND
    query = {
        "category": syringes.pk,
        "lat": lat + 20 / 111_320,
        "lon": lon,
        "description": "Bürgerin meldet Spritzen im Sandkasten am Spielplatz Südwall",
    }

    html = client.get(reverse("intake:duplicates"), query).content.decode()

    item = re.search(
        rf'<li class="duplicate duplicate-likely" data-reference="{earlier.reference}"', html
    )
    assert item is not None
    assert "Online-Formular" in html
    assert "20 m" in html


def test_without_a_category_the_duplicate_hint_looks_for_the_proposed_one(clerk, syringes):
    lat, lon = KONTAKTPUNKT_CITY
    near = ConcernFactory.create(
        category=syringes, lat=lat, lon=lon, description="Spritzen im Hauseingang"
    )
    query = {"lat": lat, "lon": lon, "description": "Im Hauseingang liegen Spritzen"}

    html = clerk.get(reverse("intake:duplicates"), query).content.decode()

    assert near.reference in html
    assert "Spritzen und Drogenabfall" in html


# --- already reported to a partner (issues 5 and 6)


def test_the_partners_number_given_at_the_desk_is_kept_on_the_concern(clerk):
    page = clerk.get(DESK).content.decode()
    assert "Bereits beim Partner gemeldet? Vorgangsnummer dort" in page

    response = desk_post(clerk, partner_reference=" #4711 ")

    assert response.status_code == 302
    assert Concern.objects.get().partner_reference == "4711"


def test_a_partners_number_that_cannot_be_one_is_refused_in_german(clerk):
    response = desk_post(clerk, partner_reference="4711; DROP")

    assert response.status_code == 400
    assert "nur Buchstaben, Ziffern" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_duplicate_hint_finds_the_partners_number_without_category_or_place(clerk, syringes):
    known = ConcernFactory.create(category=syringes, partner_reference="4711")

    html = clerk.get(reverse("intake:duplicates"), {"partner_reference": "#4711"}).content.decode()

    assert known.reference in html
    assert "gleiche Vorgangsnummer beim Partner" in html
    assert "Bereits bekannt unter der Vorgangsnummer 4711 beim Partner" in html


def test_the_duplicate_hint_says_when_nothing_is_known_under_the_partners_number(clerk):
    html = clerk.get(reverse("intake:duplicates"), {"partner_reference": "4711"}).content.decode()

    assert "Unter der Vorgangsnummer 4711 beim Partner ist kein Anliegen bekannt." in html


def test_the_partners_number_field_is_described_by_its_hint(clerk):
    html = clerk.get(DESK).content.decode()

    field = re.search(r'<input[^>]*name="partner_reference"[^>]*>', html)
    assert field is not None
    assert 'aria-describedby="id_partner_reference_helptext"' in field.group(0)
    assert 'id="id_partner_reference_helptext"' in html
