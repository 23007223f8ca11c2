from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.models import Job
from kontaktpunkt.roster.imports import instance_store
from kontaktpunkt.roster.instance import instance_head
from kontaktpunkt.roster.models import Absence, Assignment, RosterPlan, ShiftType, VersionStatus
from kontaktpunkt.roster.selectors import version_draft
from kontaktpunkt.roster.services import plan_create
from kontaktpunkt.roster.tests.factories import staff, tiny_plan

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)
HTMX = {"HX-Request": "true"}
REST_VIOLATION = (
    "KOD-01: Ruhezeit zwischen Spätdienst am Mo 06.01.2025 und Frühdienst am Di 07.01.2025 nur "
    "8,0 Std. (mindestens 11,0 Std.)."
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cell_url(plan: RosterPlan, person: int, day: int) -> str:
    return reverse(
        "roster:cell", args=[plan.pk, staff(plan, person).pk, MONDAY + timedelta(days=day)]
    )


def _early() -> ShiftType:
    return ShiftType.objects.get(code="E")


# --- who may do what -----------------------------------------------------------------------


def test_a_planner_sees_the_grid_with_letters_posts_hours_and_the_editor(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).get(reverse("roster:plan", args=[plan.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "KOD-00" in page
    assert 'aria-label="KOD-00, Mo 06.01.: Frühdienst, Teamleitung im Dienst"' in page
    assert _cell_url(plan, 0, 0) in page
    assert "Der Dienstplan hält alle Regeln ein." in page
    assert reverse("roster:publish", args=[plan.pk]) in page


def test_a_viewer_reads_the_published_grid_without_editing_or_absences(desk_clerk):
    plan = tiny_plan(start=MONDAY)
    Absence.objects.create(
        staff=staff(plan, 5),
        kind="sickness",
        first_day=MONDAY + timedelta(days=3),
        last_day=MONDAY + timedelta(days=3),
    )

    response = _client(desk_clerk).get(reverse("roster:plan", args=[plan.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "KOD-05" in page
    assert "zelle/" not in page
    assert reverse("roster:publish", args=[plan.pk]) not in page
    assert "sickness" not in page
    assert "abwesend" in page


def test_a_viewer_does_not_see_a_plan_that_was_never_published(desk_clerk):
    plan = tiny_plan(start=MONDAY, publish=False)

    response = _client(desk_clerk).get(reverse("roster:plan", args=[plan.pk]))

    assert response.status_code == 404


def test_an_officer_sees_no_roster_of_others(kod_officer):
    plan = tiny_plan(start=MONDAY)
    client = _client(kod_officer)

    for url in (reverse("roster:index"), reverse("roster:plan", args=[plan.pk])):
        assert client.get(url).status_code == 403
    assert client.get(_cell_url(plan, 0, 0)).status_code == 403


@pytest.mark.parametrize(
    "persona", ["streetworker", "partner_city_works", "analyst", "admin", "dpo"]
)
def test_others_may_neither_see_nor_plan_a_roster(persona, request):
    plan = tiny_plan(start=MONDAY)
    client = _client(request.getfixturevalue(persona))

    assert client.get(reverse("roster:plan", args=[plan.pk])).status_code == 403
    assert client.post(reverse("roster:publish", args=[plan.pk])).status_code == 403


def test_a_desk_clerk_may_read_but_not_plan(desk_clerk):
    plan = tiny_plan(start=MONDAY)
    client = _client(desk_clerk)

    assert client.get(_cell_url(plan, 0, 0)).status_code == 403
    assert (
        client.post(reverse("roster:solve", args=[plan.pk]), {"time_limit_s": 5}).status_code == 403
    )


def test_a_lead_may_read_but_not_plan_the_roster_of_another_unit(kod_lead):
    plan = tiny_plan(start=MONDAY)
    url = _cell_url(plan, 0, 0)
    RosterPlan.objects.filter(pk=plan.pk).update(unit=Unit.objects.get(slug="streetwork"))

    response = _client(kod_lead).get(url)

    assert response.status_code == 403


# --- creating, editing, publishing -----------------------------------------------------------


def test_a_planner_creates_a_plan_and_lands_on_its_grid(kod_lead):
    response = _client(kod_lead).post(
        reverse("roster:create"),
        {
            "unit": Unit.objects.get(slug="kod").pk,
            "name": "Februar",
            "start": "2025-02-03",
            "n_days": 28,
        },
    )

    plan = RosterPlan.objects.get(name="Februar")
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:plan", args=[plan.pk])
    assert plan.n_days == 28


def test_a_plan_without_a_name_is_refused_with_400(kod_lead):
    response = _client(kod_lead).post(
        reverse("roster:create"), {"start": "2025-02-03", "n_days": 28}
    )

    assert response.status_code == 400


def test_the_cell_editor_opens_as_a_fragment_with_the_cell_as_it_is(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).get(_cell_url(plan, 1, 0), headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="editor"')
    assert 'value="L:team_lead"' in page


def test_editing_a_cell_that_breaks_the_rest_time_shows_the_violation_at_once(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).post(
        _cell_url(plan, 1, 1),
        {"shift_type": _early().pk, "post": "", "expected": "L:team_lead"},
        headers=HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="board"' in page
    assert REST_VIOLATION in page
    assert "Spätdienst am Di 07.01.2025: keine Teamleitung eingeteilt." in page
    assert 'hx-swap-oob="true"' in page  # the status and actions follow: there is a draft now


def test_without_javascript_an_edit_redirects_to_the_grid(kod_lead):
    plan = tiny_plan(start=MONDAY)
    client = _client(kod_lead)

    response = client.post(_cell_url(plan, 5, 2), {"shift_type": _early().pk, "expected": ""})

    assert response.status_code == 302
    assert REST_VIOLATION not in client.get(response["Location"]).content.decode()
    assert Assignment.objects.filter(version=version_draft(plan), staff=staff(plan, 5)).count() == 3


def test_editing_a_cell_someone_changed_in_between_answers_409_and_keeps_their_change(kod_lead):
    plan = tiny_plan(start=MONDAY)
    client = _client(kod_lead)
    url = _cell_url(plan, 4, 0)
    client.post(url, {"shift_type": "", "expected": "E:patrol_pair"}, headers=HTMX)

    response = client.post(
        url, {"shift_type": _early().pk, "expected": "E:patrol_pair"}, headers=HTMX
    )

    assert response.status_code == 409
    assert "Jemand anderes hat diese Zelle inzwischen geändert." in response.content.decode()
    assert not Assignment.objects.filter(
        version=version_draft(plan), staff=staff(plan, 4), day=MONDAY
    ).exists()


def test_a_cell_with_an_unknown_shift_is_refused_with_400(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).post(
        _cell_url(plan, 4, 0), {"shift_type": 99999, "expected": ""}, headers=HTMX
    )

    assert response.status_code == 400


def test_a_cell_on_an_impossible_date_is_not_found(kod_lead):
    plan = tiny_plan(start=MONDAY)
    url = reverse("roster:cell", args=[plan.pk, staff(plan, 0).pk, "2025-01-06"]).replace(
        "2025-01-06", "2025-02-30"
    )

    assert _client(kod_lead).get(url).status_code == 404


def test_publishing_is_refused_until_the_violation_is_fixed(kod_lead):
    plan = tiny_plan(start=MONDAY)
    client = _client(kod_lead)
    url = _cell_url(plan, 1, 1)
    client.post(url, {"shift_type": _early().pk, "expected": "L:team_lead"})

    refused = client.post(reverse("roster:publish", args=[plan.pk]))
    client.post(
        url,
        {
            "shift_type": ShiftType.objects.get(code="L").pk,
            "post": "team_lead",
            "expected": "E:patrol_pair",
        },
    )
    published = client.post(reverse("roster:publish", args=[plan.pk]))

    assert refused.status_code == 400
    assert REST_VIOLATION in refused.content.decode()
    assert published.status_code == 302
    assert plan.versions.get(number=2).status == VersionStatus.PUBLISHED


def test_starting_a_calculation_queues_it_and_the_page_polls_its_progress(kod_lead):
    plan = tiny_plan(start=MONDAY, publish=False)
    client = _client(kod_lead)

    response = client.post(reverse("roster:solve", args=[plan.pk]), {"time_limit_s": 10})
    page = client.get(reverse("roster:plan", args=[plan.pk])).content.decode()

    assert response.status_code == 302
    assert Job.objects.filter(kind="roster.solve").count() == 1
    assert 'hx-trigger="every 1s"' in page


def test_the_progress_fragment_asks_for_a_reload_once_the_run_is_done(kod_lead):
    plan = tiny_plan(start=MONDAY, publish=False)
    client = _client(kod_lead)
    url = reverse("roster:solve_status", args=[plan.pk])
    client.post(reverse("roster:solve", args=[plan.pk]), {"time_limit_s": 10})

    running = client.get(url + "?warte=1", headers=HTMX)
    plan.solve_runs.update(state="done", outcome="optimal", violations=0)
    done = client.get(url + "?warte=1", headers=HTMX)

    assert "HX-Refresh" not in running
    assert done["HX-Refresh"] == "true"
    assert client.get(url).status_code == 302  # without htmx: the plan page


def test_a_sick_call_is_replanned_into_a_draft(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).post(
        reverse("roster:sick_call", args=[plan.pk]),
        {"staff": staff(plan, 0).pk, "first_day": "2025-01-06", "last_day": "2025-01-06"},
        headers=HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Krankmeldung erfasst; 2 Dienste im Entwurf geändert." in page
    assert version_draft(plan) is not None


def test_a_sick_call_ending_before_it_begins_is_refused(kod_lead):
    plan = tiny_plan(start=MONDAY)

    response = _client(kod_lead).post(
        reverse("roster:sick_call", args=[plan.pk]),
        {"staff": staff(plan, 0).pk, "first_day": "2025-01-08", "last_day": "2025-01-06"},
    )

    assert response.status_code == 400


def test_the_index_lists_the_plans_and_offers_planners_a_new_one(kod_lead, desk_clerk):
    plan = tiny_plan(start=MONDAY)
    plan_create(unit=plan.unit, name="Nur Entwurf", start=MONDAY, n_days=7, by=kod_lead)

    lead_page = _client(kod_lead).get(reverse("roster:index")).content.decode()
    desk_page = _client(desk_clerk).get(reverse("roster:index")).content.decode()

    assert plan.name in lead_page and "Nur Entwurf" in lead_page
    assert reverse("roster:create") in lead_page
    assert plan.name in desk_page and "Nur Entwurf" not in desk_page
    assert reverse("roster:create") not in desk_page


def test_a_long_plan_is_shown_a_month_at_a_time(kod48, kod_lead):
    plan = instance_store(
        instance=instance_head(kod48, 60),
        unit=Unit.objects.get(slug="kod"),
        by=None,
        own_demand=True,
    )

    page = _client(kod_lead).get(reverse("roster:plan", args=[plan.pk]) + "?monat=2025-02")

    text = page.content.decode()
    assert "<span>28.02.</span>" in text
    assert "<span>31.01.</span>" not in text
    assert 'href="?monat=2025-03"' in text
