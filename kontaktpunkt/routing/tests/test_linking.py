"""A concern the partner knows already under its own number is linked, never sent again."""

from __future__ import annotations

import pytest
from django.utils import translation

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.models import Job
from kontaktpunkt.intake.models import Category, Channel, Concern, ConcernEvent, EventKind
from kontaktpunkt.intake.services import ConcernInput, concern_submit, concerns_submit
from kontaktpunkt.routing.models import Forward, ForwardState, ForwardTarget, TargetKind
from kontaktpunkt.routing.services import FORWARD_KIND, forwards_enqueue

pytestmark = pytest.mark.django_db

# Nothing listens there: a POST would fail, and none must be tried.
NOWHERE = "http://127.0.0.1:9/georeport/v2/"


@pytest.fixture
def graffiti() -> Category:
    return Category.objects.get(code="cleanliness-graffiti")


@pytest.fixture
def city_works(graffiti: Category) -> ForwardTarget:
    unit = Unit.objects.get(slug="city-works")
    assert graffiti.default_unit == unit
    return ForwardTarget.objects.create(
        unit=unit, kind=TargetKind.OPEN311, endpoint=NOWHERE, api_key="key"
    )


def _submit(category: Category, *, partner_reference: str = "") -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.WALK_IN,
            description="Die Wand am Theaterplatz ist vollgesprüht.",
            category=category,
            partner_reference=partner_reference,
        ),
        by=None,
    )


def test_a_concern_with_the_partners_number_is_linked_as_sent_without_a_request(
    graffiti, city_works
):
    concern = _submit(graffiti, partner_reference="#4711")

    forward = Forward.objects.get(concern=concern)
    assert forward.target == city_works
    assert (forward.state, forward.partner_request_id) == (ForwardState.SENT, "4711")
    assert forward.sent_at is not None
    assert not Job.objects.filter(kind=FORWARD_KIND).exists()
    event = ConcernEvent.objects.get(concern=concern, kind=EventKind.FORWARDED)
    assert event.changes["forward"][1]["id"] == "4711"
    with translation.override("de"):
        assert "4711" in event.text and "nicht erneut gesendet" in event.text


def test_without_the_partners_number_the_concern_is_sent_as_before(graffiti, city_works):
    concern = _submit(graffiti)

    forward = Forward.objects.get(concern=concern)
    assert (forward.state, forward.partner_request_id) == (ForwardState.PENDING, "")
    assert Job.objects.filter(kind=FORWARD_KIND, payload={"forward": forward.pk}).exists()
    assert not ConcernEvent.objects.filter(concern=concern, kind=EventKind.FORWARDED).exists()


def test_an_email_partner_gets_the_concern_even_with_a_partners_number(graffiti, city_works):
    city_works.kind = TargetKind.EMAIL
    city_works.email = "stadtbetrieb@example.org"
    city_works.save()

    concern = _submit(graffiti, partner_reference="4711")

    forward = Forward.objects.get(concern=concern)
    assert forward.state == ForwardState.PENDING
    assert Job.objects.filter(kind=FORWARD_KIND).count() == 1


def test_linking_again_keeps_the_one_forward_and_its_one_event(graffiti, city_works):
    concern = _submit(graffiti, partner_reference="4711")

    assert forwards_enqueue([Concern.objects.get(pk=concern.pk)]) == []

    assert Forward.objects.filter(concern=concern).count() == 1
    assert ConcernEvent.objects.filter(concern=concern, kind=EventKind.FORWARDED).count() == 1


def test_a_batch_links_one_concern_and_sends_the_other(graffiti, city_works):
    text = "Die Wand ist vollgesprüht."
    linked, sent = concerns_submit(
        inputs=[
            ConcernInput(
                channel=Channel.OPEN311,
                description=text,
                category=graffiti,
                partner_reference="4711",
            ),
            ConcernInput(channel=Channel.OPEN311, description=text, category=graffiti),
        ],
        by=None,
    )

    states = dict(Forward.objects.values_list("concern_id", "state"))

    assert states == {linked.pk: ForwardState.SENT, sent.pk: ForwardState.PENDING}
