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


def test_administrators_see_the_outbox_with_its_dead_letters_and_others_do_not(
    client, admin, kod_lead
):
    from kontaktpunkt.core.jobs import job_enqueue
    from kontaktpunkt.core.models import Job, JobState

    job_enqueue(kind="mail.send", payload={})
    dead = job_enqueue(kind="mail.send", payload={"to": []})
    Job.objects.filter(pk=dead.pk).update(state=JobState.DEAD)

    client.force_login(admin)
    page = client.get(reverse("core:home")).content.decode()
    client.force_login(kod_lead)
    other = client.get(reverse("core:home")).content.decode()

    assert 'id="outbox"' in page
    assert "state__exact=dead" in page
    assert 'id="outbox"' not in other


def test_a_discarded_dead_letter_is_no_longer_counted_and_is_never_run():
    from kontaktpunkt.core.jobs import job_discard, job_enqueue, jobs_run_due
    from kontaktpunkt.core.models import JobState
    from kontaktpunkt.core.selectors import outbox_counts

    job = job_enqueue(kind="mail.send", payload={})
    assert not job_discard(job=job)  # only dead jobs can be discarded
    job.state = JobState.DEAD
    job.save()

    assert job_discard(job=job)
    job.refresh_from_db()

    assert job.state == JobState.DISCARDED
    assert outbox_counts()["dead"] == 0
    assert jobs_run_due(worker="test") == 0
