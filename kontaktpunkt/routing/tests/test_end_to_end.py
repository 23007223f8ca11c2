"""A desk concern goes to the city works by rule, over Open311 to a second Kontaktpunkt, and back.

Real servers on 127.0.0.1: the partner is a second Kontaktpunkt process with its own database
(`open311_peer`), the mails go to aiosmtpd (`smtp_mail`); our worker's jobs run through the real queue.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.jobs import jobs_run_due
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.intake.models import Category, Channel, Concern, ConcernEvent, EventKind, Status
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit
from kontaktpunkt.routing import client
from kontaktpunkt.routing.models import Forward, ForwardState, ForwardTarget, RoutingRule
from kontaktpunkt.routing.selectors import routing_latest
from kontaktpunkt.routing.services import FORWARD_KIND, forwards_poll

pytestmark = pytest.mark.django_db

CITIZEN = "erika@example.org"
THEATERPLATZ = (51.33283, 6.56262)


@pytest.fixture
def city_works(open311_peer):
    category = Category.objects.get(code="cleanliness-litter")
    unit = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.create(
        unit=unit,
        kind="open311",
        endpoint=open311_peer.endpoint,
        api_key=open311_peer.api_key,
        jurisdiction_id="krefeld.de",
        service_codes={category.code: category.open311_service_code},
    )
    RoutingRule.objects.create(
        name="Müll an den Stadtbetrieb", order=10, category=category, unit=unit
    )
    return unit


def _desk_concern(desk_clerk, marker: str = "") -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.WALK_IN,
            description=f"Seit gestern liegen Müllsäcke neben der Bank am Theaterplatz. {marker}",
            category=Category.objects.get(code="cleanliness-litter"),
            lat=THEATERPLATZ[0],
            lon=THEATERPLATZ[1],
            address="Theaterplatz",
            reporter=ReporterInput(
                name="Erika Mustermann", email=CITIZEN, consent=True, wants_updates=True
            ),
        ),
        by=desk_clerk,
    )


def _run_worker() -> None:
    while jobs_run_due(worker="test-worker", limit=50):
        pass


def _peer_closes(peer, reference: str, note: str) -> None:
    peer.take_in()
    peer.run(
        "from kontaktpunkt.intake.models import Concern\n"
        "from kontaktpunkt.intake.services import concern_add_note, concern_update\n"
        f"c = Concern.objects.get(reference={reference!r})\n"
        f"concern_add_note(concern=c, text={note!r}, public=True, by=None)\n"
        "c.refresh_from_db()\n"
        "concern_update(concern=c, changes={'status': 'closed'}, by=None)\n"
    )


def test_a_desk_concern_is_routed_forwarded_closed_at_the_peer_and_closed_here(
    open311_peer, city_works, desk_clerk, smtp_mail
):
    concern = _desk_concern(desk_clerk)

    assert concern.responsible_unit == city_works
    decision = routing_latest(concern=concern)
    assert decision is not None
    assert "Müll an den Stadtbetrieb" in decision.reason

    _run_worker()  # the acknowledgement and the forward
    forward = Forward.objects.get(concern=concern)
    assert forward.state == ForwardState.SENT
    assert forward.partner_request_id.startswith("KP-")
    assert ConcernEvent.objects.filter(concern=concern, kind=EventKind.FORWARDED).exists()

    _peer_closes(open311_peer, forward.partner_request_id, "Die Säcke wurden heute abgeholt.")
    assert forwards_poll() == 1
    assert forwards_poll() == 0  # nothing new the second time
    _run_worker()  # the closing mail

    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
    replies = ConcernEvent.objects.filter(concern=concern, kind=EventKind.REPLY, is_public=True)
    assert [event.text for event in replies] == ["Die Säcke wurden heute abgeholt."]
    to_citizen = [mail for mail in smtp_mail.wait_for(2) if CITIZEN in mail.rcpt_tos]
    assert len(to_citizen) == 2
    acknowledgement, closing = sorted(to_citizen, key=lambda mail: "geschlossen" in mail.subject)
    assert concern.reference in acknowledgement.subject
    assert "geschlossen" in closing.subject
    assert "Die Säcke wurden heute abgeholt." in closing.body()
    assert "/benachrichtigungen/abbestellen/" in closing.body()


def test_with_the_peer_down_the_forward_is_retried_and_arrives_once(
    open311_peer, city_works, desk_clerk, smtp_mail
):
    marker = uuid.uuid4().hex
    concern = _desk_concern(desk_clerk, marker)
    open311_peer.stop()
    try:
        _run_worker()
        job = Job.objects.get(kind=FORWARD_KIND)
        assert job.state == JobState.QUEUED
        assert job.attempts == 1
        assert "Connection" in job.last_error or "URLError" in job.last_error
        assert Forward.objects.get(concern=concern).state == ForwardState.PENDING
    finally:
        open311_peer.start()

    Job.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    _run_worker()

    forward = Forward.objects.get(concern=concern)
    assert forward.state == ForwardState.SENT
    assert open311_peer.holds(marker) == 1


def test_a_forward_repeated_after_a_crash_creates_no_second_request_at_the_peer(
    open311_peer, city_works, desk_clerk, smtp_mail
):
    marker = uuid.uuid4().hex
    concern = _desk_concern(desk_clerk, marker)
    forward = Forward.objects.get(concern=concern)
    # The first worker's POST reached the peer, then the worker died before noting it.
    first = client.post_request(
        endpoint=open311_peer.endpoint,
        fields={
            "api_key": open311_peer.api_key,
            "service_code": "kp-litter",
            "lat": "51.33283",
            "long": "6.56262",
            "description": f"[{concern.reference}] {concern.description}",
        },
        idempotency_key=forward.idempotency_key,
    )

    _run_worker()  # another worker takes the job over

    forward.refresh_from_db()
    assert forward.partner_request_id == first
    assert open311_peer.holds(marker) == 1


def test_a_concern_already_reported_at_the_peer_is_linked_and_its_status_comes_back(
    open311_peer, city_works, desk_clerk, smtp_mail
):
    marker = uuid.uuid4().hex
    # The citizen reported it on the partner's own portal first and brings its number along.
    number = client.post_request(
        endpoint=open311_peer.endpoint,
        fields={
            "api_key": open311_peer.api_key,
            "service_code": "kp-litter",
            "lat": "51.33283",
            "long": "6.56262",
            "description": f"Müllsäcke neben der Bank {marker}",
        },
        idempotency_key=f"citizen-{marker}",
    )
    concern = concern_submit(
        data=ConcernInput(
            channel=Channel.WALK_IN,
            description=f"Müllsäcke neben der Bank, schon bei maak-et.de gemeldet. {marker}",
            category=Category.objects.get(code="cleanliness-litter"),
            lat=THEATERPLATZ[0],
            lon=THEATERPLATZ[1],
            partner_reference=number,
        ),
        by=desk_clerk,
    )

    _run_worker()

    forward = Forward.objects.get(concern=concern)
    assert (forward.state, forward.partner_request_id) == (ForwardState.SENT, number)
    assert open311_peer.holds(marker) == 1  # not sent a second time
    _peer_closes(open311_peer, number, "Abgeholt.")
    assert forwards_poll() == 1
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
