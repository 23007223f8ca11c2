from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.cases.models import SavedFilter
from kontaktpunkt.cases.saved_filters import saved_filter_create
from kontaktpunkt.intake.models import Status
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("cases:queue")
COUNTS = reverse("cases:queue_counts")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _refs(response) -> list[str]:
    return re.findall(r">(KP-2099-\d{6})</a>", response.content.decode())


def _link(response, rel: str) -> str:
    match = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode())
    assert match, f"no {rel} link"
    return match.group(1).replace("&amp;", "&")


def _desk_concern():
    return ConcernFactory.create(
        category=CategoryFactory.create(default_unit=Unit.objects.get(slug="desk"))
    )


# --------------------------------------------------------------------------- access


def test_it_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["analyst", "dpo", "admin"])
def test_it_refuses_people_without_a_unit_queue(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(QUEUE).status_code == 403
    assert client.get(COUNTS).status_code == 403


def test_it_shows_the_queue_of_the_persons_own_unit(client, kod_officer):
    kod = ConcernFactory.create()
    _desk_concern()
    client.force_login(kod_officer)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert _refs(response) == [kod.reference]
    assert "Arbeitskorb KOD" in response.content.decode()


def test_another_units_queue_is_not_found(client, kod_officer):
    client.force_login(kod_officer)

    assert client.get(QUEUE, {"unit": "desk"}).status_code == 404
    assert client.get(QUEUE, {"unit": "no-such-unit"}).status_code == 404
    assert client.get(COUNTS, {"unit": "desk"}).status_code == 404


def test_someone_who_sees_every_concern_may_open_any_units_queue(client, kod_lead):
    desk = _desk_concern()
    client.force_login(kod_lead)

    response = client.get(QUEUE, {"unit": "desk"})

    assert response.status_code == 200
    assert _refs(response) == [desk.reference]


def test_mine_shows_only_my_assignments(client, kod_officer, kod_lead):
    mine = ConcernFactory.create(assignee=kod_officer, status=Status.ASSIGNED)
    ConcernFactory.create(assignee=kod_lead, status=Status.ASSIGNED)
    ConcernFactory.create()
    client.force_login(kod_officer)

    response = client.get(QUEUE, {"scope": "mine"})

    assert _refs(response) == [mine.reference]
    assert "Meine Vorgänge" in response.content.decode()


# --------------------------------------------------------------------------- rows and filters


def test_a_row_links_to_the_case_and_marks_it_overdue(client, kod_lead):
    late = ConcernFactory.create(
        status=Status.IN_PROGRESS, due_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(kod_lead)

    html = client.get(QUEUE).content.decode()

    assert f'href="{reverse("cases:detail", args=[late.reference])}"' in html
    assert "überfällig" in html
    assert "in Bearbeitung" in html


def test_filters_given_in_the_query_string_narrow_the_rows(client, kod_lead):
    new = ConcernFactory.create(status=Status.NEW)
    ConcernFactory.create(status=Status.CLOSED)
    client.force_login(kod_lead)

    response = client.get(QUEUE, {"status": ["new", "triaged"]})

    assert _refs(response) == [new.reference]


def test_invalid_filter_values_re_render_with_german_messages(client, kod_lead):
    ConcernFactory.create()
    client.force_login(kod_lead)

    response = client.get(
        QUEUE, {"status": "lost", "reported_from": "gestern", "priority": "9", "sort": "x"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte korrigieren Sie den Filter:" in html
    assert "Bitte eine gültige Auswahl treffen." in html
    assert "Bitte ein gültiges Datum eingeben." in html
    assert 'value="gestern"' in html  # what was typed stays
    assert _refs(response) == []


def test_an_htmx_request_gets_only_the_results_fragment(client, kod_lead):
    concern = ConcernFactory.create()
    client.force_login(kod_lead)

    response = client.get(QUEUE, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and 'id="queue-filter"' not in html
    assert _refs(response) == [concern.reference]
    assert "HX-Request" in response["Vary"]


def test_the_swapped_results_carry_the_filter_that_save_filter_saves(client, kod_lead):
    client.force_login(kod_lead)

    html = client.get(QUEUE, {"status": "new", "after": "x"}, **HTMX).content.decode()

    assert '<input type="hidden" name="query" form="save-filter" value="status=new">' in html


def test_an_htmx_history_restore_gets_the_full_page(client, kod_lead):
    client.force_login(kod_lead)

    response = client.get(QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in response.content.decode()


def test_the_next_and_previous_links_page_through_the_queue(client, kod_lead, settings):
    concerns = [
        ConcernFactory.create(reported_at=timezone.now() - timedelta(minutes=i)) for i in range(55)
    ]
    client.force_login(kod_lead)

    first = client.get(QUEUE)
    second = client.get(_link(first, "next"))
    back = client.get(_link(second, "prev"), **HTMX)

    assert _refs(first) == [c.reference for c in concerns[:50]]
    assert _refs(second) == [c.reference for c in concerns[50:]]
    assert 'rel="next"' not in second.content.decode()
    assert "Erste Seite" in second.content.decode()
    assert _refs(back) == _refs(first)
    assert "after" not in parse_qs(urlsplit(_link(second, "prev")).query)


def test_a_tampered_cursor_shows_the_first_page_with_a_german_notice(client, kod_lead):
    concern = ConcernFactory.create()
    client.force_login(kod_lead)

    response = client.get(QUEUE, {"after": "eyJzIjoibmV3ZXN0In0:1tampered:xyz"})

    assert response.status_code == 200
    assert "Der Seitenverweis war ungültig" in response.content.decode()
    assert _refs(response) == [concern.reference]


# --------------------------------------------------------------------------- counts


def test_the_first_page_does_not_wait_for_the_counts(client, kod_lead):
    client.force_login(kod_lead)

    html = client.get(QUEUE, {"status": "new"}).content.decode()

    assert f'hx-get="{COUNTS}?status=new"' in html
    assert 'class="counts-total"' not in html


def test_the_counts_fragment_counts_per_status_and_field(client, kod_lead):
    for status in (Status.NEW, Status.NEW, Status.CLOSED):
        ConcernFactory.create(status=status)
    client.force_login(kod_lead)

    response = client.get(COUNTS, {"status": "new"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert re.search(r'counts-total"><dt>Treffer</dt><dd>2</dd>', html)
    assert re.search(r">neu</a> <span class=\"count\">2</span>", html)
    assert re.search(r">abgeschlossen</a> <span class=\"count\">1</span>", html)
    assert re.search(r">Ordnung</a> <span class=\"count\">2</span>", html)


def test_the_counts_of_an_invalid_filter_are_left_out_rather_than_failing(client, kod_lead):
    client.force_login(kod_lead)

    response = client.get(COUNTS, {"status": "lost"}, **HTMX)

    assert response.status_code == 200
    assert "counts-total" not in response.content.decode()


def test_without_javascript_the_counts_link_gives_the_full_page_with_counts(client, kod_lead):
    ConcernFactory.create()
    client.force_login(kod_lead)

    html = client.get(COUNTS).content.decode()

    assert "<html" in html and 'class="counts-total"' in html and 'id="results"' in html


# --------------------------------------------------------------------------- saved filters


def test_saving_a_filter_returns_to_the_filtered_queue(client, kod_officer):
    client.force_login(kod_officer)

    response = client.post(
        reverse("cases:filter_save"), {"name": "Neue", "query": "unit=kod&status=new&after=x"}
    )

    saved = SavedFilter.objects.get(owner=kod_officer)
    assert (saved.name, saved.query) == ("Neue", "unit=kod&status=new")
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?unit=kod&status=new"
    page = client.get(response["Location"]).content.decode()
    assert "Filter „Neue“ gespeichert." in page
    assert f'href="{QUEUE}?unit=kod&amp;status=new">Neue</a>' in page


def test_saving_without_a_name_re_renders_with_a_german_message(client, kod_officer):
    client.force_login(kod_officer)

    response = client.post(reverse("cases:filter_save"), {"name": "", "query": "status=new"})

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_saving_needs_a_post(client, kod_officer):
    client.force_login(kod_officer)

    assert client.get(reverse("cases:filter_save")).status_code == 405


def test_the_queue_lists_only_my_saved_filters(client, kod_officer, kod_lead):
    saved_filter_create(owner=kod_officer, name="Meiner", query="status=new")
    saved_filter_create(owner=kod_lead, name="Fremder", query="status=closed")
    client.force_login(kod_officer)

    html = client.get(QUEUE).content.decode()

    assert "Meiner" in html and "Fremder" not in html


def test_only_the_owner_may_delete_a_saved_filter(client, kod_officer, kod_lead):
    saved = saved_filter_create(owner=kod_officer, name="Meiner", query="status=new")
    url = reverse("cases:filter_delete", args=[saved.pk])

    client.force_login(kod_lead)
    assert client.post(url).status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()

    client.force_login(kod_officer)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
