from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from kontaktpunkt.geo.models import Facility, FacilityKind
from kontaktpunkt.intake.models import (
    AttributeType,
    Category,
    CategoryAttribute,
    Channel,
    ConcernEvent,
    EventKind,
    ReporterContact,
    Status,
)
from kontaktpunkt.open311.services import api_key_issue
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

BERLIN = ZoneInfo("Europe/Berlin")
REPORTER_NAME = "Erika Mustermann"
REPORTER_EMAIL = "erika.mustermann@example.org"
REPORTER_PHONE = "02151 123456"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=BERLIN)


@pytest.fixture
def api_key(db):
    """(key, raw) of an active key with a generous limit."""
    return api_key_issue(client_name="Mängelmelder-App", rate_limit_per_minute=10_000, by=None)


@pytest.fixture
def theaterplatz(db) -> Facility:
    return Facility.objects.create(
        kind=FacilityKind.PLACE, name="Theaterplatz", lat=51.33283, lon=6.56262
    )


@pytest.fixture
def world(db):
    """Fixed data: only our categories are active; two concerns with history, one of them released.

    Returns a namespace of the rows.
    """
    Category.objects.update(active=False, is_public=False)
    bulky = CategoryFactory.create(
        code="bulky-waste",
        name="Sperrmüll",
        group="Abfall",
        description="Sperrmüll liegt am Straßenrand.",
        synonyms="Sperrmüll, Möbel",
        open311_service_code="bulky-waste",
    )
    for order, (code, datatype, required, values) in enumerate(
        [
            ("pieces", AttributeType.NUMBER, True, []),
            (
                "kind",
                AttributeType.SINGLEVALUELIST,
                False,
                [("furniture", "Möbel"), ("other", "Sonstiges")],
            ),
            ("hazards", AttributeType.MULTIVALUELIST, False, [("glass", "Glas"), ("oil", "Öl")]),
            ("seen_at", AttributeType.DATETIME, False, []),
            ("where", AttributeType.STRING, False, []),
            ("details", AttributeType.TEXT, False, []),
        ],
        start=1,
    ):
        CategoryAttribute.objects.create(
            category=bulky,
            code=code,
            datatype=datatype,
            question=f"Frage {code}?",
            description="Bitte schätzen." if code == "pieces" else "",
            required=required,
            values=[{"key": key, "name": name} for key, name in values],
            order=order,
        )
    hidden = CategoryFactory.create(
        code="internal", name="Intern", is_public=False, open311_service_code="internal"
    )
    released = ConcernFactory.create(
        reference="KP-2026-000101",
        category=bulky,
        channel=Channel.WEB,
        description="Ein Sofa steht seit Tagen vor dem Haus.",
        address="Theaterplatz",
        lat=51.33283,
        lon=6.56262,
        status=Status.IN_PROGRESS,
        is_public=True,
        reported_at=at(2),
        created_at=at(2),
        updated_at=at(4),
        due_at=at(6),
    )
    closed = ConcernFactory.create(
        reference="KP-2026-000102",
        category=bulky,
        channel=Channel.OPEN311,
        description=f"Bitte rufen Sie mich an, {REPORTER_NAME}.",
        status=Status.RESOLVED,
        reported_at=at(3),
        created_at=at(3),
        updated_at=at(5),
        closed_at=at(5),
    )
    secret = ConcernFactory.create(
        reference="KP-2026-000103", category=hidden, reported_at=at(3), updated_at=at(3)
    )
    for concern in (released, closed):
        ReporterContact.objects.create(
            concern=concern, name=REPORTER_NAME, email=REPORTER_EMAIL, phone=REPORTER_PHONE
        )
        ConcernEvent.objects.create(concern=concern, kind=EventKind.CREATED, at=concern.reported_at)
    ConcernEvent.objects.create(
        concern=released,
        kind=EventKind.STATUS,
        at=at(3),
        changes={"status": ["new", "in_progress"]},
    )
    ConcernEvent.objects.create(
        concern=released, kind=EventKind.NOTE, at=at(3, 11), text=f"Intern: {REPORTER_NAME} anrufen"
    )
    ConcernEvent.objects.create(
        concern=released,
        kind=EventKind.REPLY,
        is_public=True,
        at=at(4),
        text="Die Abholung ist für Freitag beauftragt.",
    )
    ConcernEvent.objects.create(
        concern=closed, kind=EventKind.STATUS, at=at(5), changes={"status": ["new", "resolved"]}
    )

    return SimpleNamespace(
        bulky=bulky, hidden=hidden, released=released, closed=closed, secret=secret
    )
