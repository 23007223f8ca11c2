"""A partner who got a forward by e-mail answers through the link in it, without an account."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.jobs import jobs_run_due
from kontaktpunkt.intake.models import (
    Category,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    ReporterContact,
    Status,
)
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit
from kontaktpunkt.routing.models import Forward, ForwardTarget, RoutingRule

pytestmark = pytest.mark.django_db
GSAK = "gsak@example.org"


@pytest.fixture
def forwarded(smtp_mail, settings) -> Forward:
    """A broken-glass concern forwarded by e-mail to the street-cleaning company, mail delivered."""
    settings.KP_BASE_URL = "https://kontaktpunkt.example"
    category = Category.objects.get(code="cleanliness-broken-glass")
    unit = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.create(unit=unit, kind="email", email=GSAK)
    RoutingRule.objects.create(name="Glas an die GSAK", order=10, category=category, unit=unit)
    concern = concern_submit(
        data=ConcernInput(
            channel=Channel.PHONE,
            description="Glasscherben auf dem Radweg an der Rheinstraße",
            category=category,
            lat=51.33283,
            lon=6.56262,
            reporter=ReporterInput(
                name="Erika Mustermann",
                email="erika@example.org",
                consent=True,
                wants_updates=True,
            ),
        ),
        by=None,
    )
    while jobs_run_due(worker="test", limit=50):
        pass
    return Forward.objects.get(concern=concern)


def _link(smtp_mail) -> str:
    (mail,) = [m for m in smtp_mail.wait_for(2) if GSAK in m.rcpt_tos]
    found = re.search(r"https://kontaktpunkt\.example(/partner/antwort/\S+/)", mail.body())
    assert found is not None, mail.body()
    return found.group(1)


def test_the_forward_mail_carries_a_link_that_shows_the_concern_without_the_reporter(
    client, forwarded, smtp_mail
):
    answer = client.get(_link(smtp_mail))

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Antwort auf eine weitergeleitete Meldung" in page
    assert forwarded.concern.reference in page
    assert "Glasscherben auf dem Radweg" in page
    assert "Erika" not in page and "erika@example.org" not in page
    assert answer["Referrer-Policy"] == "no-referrer"


def test_done_closes_the_concern_with_the_partners_message_as_the_public_reply_once(
    client, forwarded, smtp_mail
):
    link = _link(smtp_mail)
    data = {"outcome": "done", "note": "Die Scherben wurden heute Morgen beseitigt."}

    assert client.post(link, data).status_code == 200
    assert client.post(link, data).status_code == 200  # a double submit changes nothing more

    concern = Concern.objects.get(pk=forwarded.concern_id)
    assert concern.status == Status.CLOSED
    replies = ConcernEvent.objects.filter(concern=concern, kind=EventKind.REPLY, is_public=True)
    assert [r.text for r in replies] == ["Die Scherben wurden heute Morgen beseitigt."]
    updates = ConcernEvent.objects.filter(concern=concern, kind=EventKind.PARTNER_UPDATE)
    assert updates.count() == 1


def test_not_ours_needs_a_word_and_stays_internal(client, forwarded, smtp_mail):
    link = _link(smtp_mail)

    refused = client.post(link, {"outcome": "not_ours", "note": " "})
    assert refused.status_code == 400
    assert "wer stattdessen zuständig ist" in refused.content.decode()

    taken = client.post(link, {"outcome": "not_ours", "note": "Radwege reinigt der KBK."})
    assert taken.status_code == 200
    concern = Concern.objects.get(pk=forwarded.concern_id)
    assert concern.status != Status.CLOSED
    event = ConcernEvent.objects.get(concern=concern, kind=EventKind.PARTNER_UPDATE)
    assert "Radwege reinigt der KBK." in event.text
    assert not ConcernEvent.objects.filter(concern=concern, kind=EventKind.REPLY).exists()


def test_an_unknown_outcome_is_refused_in_german_and_changes_nothing(client, forwarded, smtp_mail):
    answer = client.post(_link(smtp_mail), {"outcome": "geloescht", "note": "x"})

    assert answer.status_code == 400
    assert "keine gültige Auswahl" in answer.content.decode()
    assert not ConcernEvent.objects.filter(
        concern_id=forwarded.concern_id, kind=EventKind.PARTNER_UPDATE
    ).exists()


def test_a_link_with_a_wrong_or_borrowed_signature_is_not_found(client, forwarded, smtp_mail):
    link = _link(smtp_mail)
    signature = link.rstrip("/").rsplit("/", 1)[1]

    forged = reverse("routing:partner_answer", args=[forwarded.key, "0" * len(signature)])
    borrowed = reverse("routing:partner_answer", args=[uuid.uuid4(), signature])

    for url in (forged, borrowed):
        answer = client.post(url, {"outcome": "done", "note": "erledigt"})
        assert answer.status_code == 404
        assert "nicht (mehr) gültig" in answer.content.decode()
    assert Concern.objects.get(pk=forwarded.concern_id).status != Status.CLOSED
    assert ReporterContact.objects.filter(email="erika@example.org").exists()
