"""The permission matrix: every URL name of the project against every persona.

A new view cannot ship without a decision: the test fails when a URL name is not listed here. Each entry
says, per persona, whether the request is allowed ("ok": 2xx, a redirect elsewhere than the login page,
or a 400/409 answer to the empty test form), denied ("no": 403 or 404 — objects outside a person's reach
answer 404), or sent to sign in ("login").
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.cases.attachments import upload_clean
from kontaktpunkt.cases.models import Attachment, SavedFilter
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.intake.models import Concern
from kontaktpunkt.roster.models import RosterPlan, StaffMember
from kontaktpunkt.roster.tests.factories import tiny_plan
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory
from kontaktpunkt.testing.personas import PERSONAS, persona_create

pytestmark = pytest.mark.django_db

PERSONA_NAMES = ["anonymous", *PERSONAS]
STAFF = ["desk_clerk", "kod_officer", "kod_lead", "streetworker"]


@dataclass
class World:
    concern: Concern
    attachment: Attachment
    saved_filter: SavedFilter
    released_photo: Attachment
    public_service_code: str
    people: dict[str, User | None]


@dataclass(frozen=True)
class Route:
    expect: dict[str, str]
    method: str = "GET"
    args: Callable[[World], list[Any]] = lambda world: []
    query: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def everyone(level: str, **overrides: str) -> dict[str, str]:
    return {name: overrides.get(name, level) for name in PERSONA_NAMES}


def signed_in(level: str, **overrides: str) -> dict[str, str]:
    return everyone(level, anonymous="login", **overrides)


def only(allowed: Iterable[str], **overrides: str) -> dict[str, str]:
    allowed = set(allowed)
    return signed_in("no", **dict.fromkeys(allowed, "ok"), **overrides)


RECORDERS = ["desk_clerk", "kod_officer", "kod_lead", "streetworker"]
QUEUE_USERS = ["desk_clerk", "kod_officer", "kod_lead", "streetworker", "partner_city_works"]
# who may see the KOD concern of the world: everyone who sees all concerns, and the KOD
KOD_CONCERN_VIEWERS = ["desk_clerk", "kod_officer", "kod_lead"]
KOD_CONCERN_EDITORS = ["desk_clerk", "kod_officer", "kod_lead"]
ASSIGNERS = ["desk_clerk", "kod_lead"]


def _reference(world: World) -> list[Any]:
    return [world.concern.reference]


MATRIX: dict[str, Route] = {
    "login": Route(expect=everyone("ok")),
    "logout": Route(method="POST", expect=everyone("login")),
    "core:home": Route(expect=signed_in("ok")),
    "core:healthz": Route(expect=everyone("ok")),
    "intake:desk": Route(expect=only(RECORDERS)),
    "intake:suggest_categories": Route(expect=only(RECORDERS), query="?q=spritze"),
    "intake:classification": Route(
        expect=only(RECORDERS), query="?description=Spritzen&lat=51.3328&lon=6.5626"
    ),
    "intake:suggest_places": Route(expect=only(RECORDERS), query="?q=theater"),
    "intake:duplicates": Route(expect=only(RECORDERS), query="?lat=51.3328&lon=6.5626"),
    "cases:queue": Route(expect=only(QUEUE_USERS)),
    "cases:queue_counts": Route(expect=only(QUEUE_USERS)),
    "cases:filter_save": Route(method="POST", expect=only(QUEUE_USERS), data={"name": "Meins"}),
    "cases:filter_delete": Route(
        method="POST",
        expect=only(["kod_lead"]),
        args=lambda world: [world.saved_filter.pk],
    ),
    "cases:detail": Route(expect=only(KOD_CONCERN_VIEWERS), args=_reference),
    "cases:assign": Route(method="POST", expect=only(ASSIGNERS), args=_reference),
    "cases:transition": Route(method="POST", expect=only(KOD_CONCERN_EDITORS), args=_reference),
    "cases:categorise": Route(method="POST", expect=only(ASSIGNERS), args=_reference),
    "cases:note": Route(method="POST", expect=only(KOD_CONCERN_EDITORS), args=_reference),
    "cases:attach": Route(method="POST", expect=only(KOD_CONCERN_EDITORS), args=_reference),
    "cases:attachment": Route(
        expect=signed_in("no"), args=lambda world: [world.concern.reference, 999999]
    ),
    "cases:merge": Route(method="POST", expect=only(ASSIGNERS), args=_reference),
    "cases:map": Route(expect=only(QUEUE_USERS)),
    "cases:map_data": Route(expect=only(QUEUE_USERS)),
}


def _photo_name(photo: Attachment) -> list[Any]:
    return [photo.file.name.rsplit("/", 1)[-1]]


MODERATORS = ["kod_lead"]

MATRIX |= {
    # the citizens' side: open to everyone; secret links and unreleased photos answer 404
    "public:report": Route(expect=everyone("ok")),
    "public:thanks": Route(expect=everyone("ok"), args=lambda world: [world.concern.public_token]),
    "public:places": Route(expect=everyone("ok"), query="?q=theater"),
    "public:duplicates": Route(expect=everyone("ok"), query="?lat=51.3328&lon=6.5626&text=Müll"),
    "public:status": Route(expect=everyone("ok"), args=lambda world: [world.concern.public_token]),
    "routing:unsubscribe": Route(
        expect=everyone("ok"), args=lambda world: [world.concern.public_token]
    ),
    # a partner's answer link is signed per forward: a link we did not sign answers 404 to everyone
    "routing:partner_answer": Route(
        expect=everyone("no"), args=lambda world: [uuid.UUID(int=1), "nicht-signiert"]
    ),
    "public:map": Route(expect=everyone("ok")),
    "public:map_data": Route(expect=everyone("ok")),
    "public:photo": Route(
        expect=everyone("ok"), args=lambda world: _photo_name(world.released_photo)
    ),
    # the moderation of the public map: who holds Perm.CONCERN_MODERATE
    "public:moderation": Route(expect=only(MODERATORS)),
    "public:moderate": Route(method="POST", expect=only(MODERATORS), args=_reference),
    "public:moderation_photo": Route(
        expect=only(MODERATORS), args=lambda world: _photo_name(world.released_photo)
    ),
}

MATRIX |= {
    # GeoReport v2: reading is open to everyone; writing needs an API key, not a session (the empty
    # test POST carries none and is refused with the spec's 403)
    "open311:openapi": Route(expect=everyone("ok")),
    "open311:discovery": Route(expect=everyone("ok"), args=lambda world: ["json"]),
    "open311:services": Route(expect=everyone("ok"), args=lambda world: ["xml"]),
    "open311:service": Route(
        expect=everyone("ok"), args=lambda world: [world.public_service_code, "json"]
    ),
    "open311:requests": Route(expect=everyone("ok"), args=lambda world: ["json"]),
    "open311:request": Route(
        expect=everyone("ok"), args=lambda world: [world.released_photo.concern.reference, "json"]
    ),
    "open311:not_found": Route(expect=everyone("no"), args=lambda world: ["nirgendwo"]),
}
OPEN311_POST = Route(method="POST", expect=everyone("no"), args=lambda world: ["json"])


def _roster_plan(world: World) -> RosterPlan:
    """A published KOD roster of this week (made on first use in a test)."""
    return RosterPlan.objects.filter(unit__slug="kod").first() or tiny_plan()


def _roster_cell(world: World) -> list[Any]:
    plan = _roster_plan(world)
    return [plan.pk, StaffMember.objects.filter(unit=plan.unit).values_list("pk")[0][0], plan.start]


ROSTER_VIEWERS = ["desk_clerk", "kod_lead"]  # Perm.ROSTER_VIEW
ROSTER_PLANNERS = ["kod_lead"]  # Perm.ROSTER_PLAN in the KOD
ROSTER_OWN = ["kod_officer", "kod_lead"]  # Perm.ROSTER_VIEW_OWN

MATRIX |= {
    # the duty roster: viewers read published plans, the KOD lead plans; empty test POSTs are
    # refused with 400 (no draft to publish, missing fields)
    "roster:index": Route(expect=only(ROSTER_VIEWERS)),
    "roster:create": Route(method="POST", expect=only(ROSTER_PLANNERS)),
    "roster:import": Route(expect=only(ROSTER_PLANNERS)),
    "roster:plan": Route(expect=only(ROSTER_VIEWERS), args=lambda world: [_roster_plan(world).pk]),
    "roster:cell": Route(expect=only(ROSTER_PLANNERS), args=_roster_cell),
    "roster:solve": Route(
        method="POST", expect=only(ROSTER_PLANNERS), args=lambda world: [_roster_plan(world).pk]
    ),
    "roster:solve_status": Route(
        expect=only(ROSTER_PLANNERS), args=lambda world: [_roster_plan(world).pk]
    ),
    "roster:publish": Route(
        method="POST", expect=only(ROSTER_PLANNERS), args=lambda world: [_roster_plan(world).pk]
    ),
    "roster:sick_call": Route(
        method="POST", expect=only(ROSTER_PLANNERS), args=lambda world: [_roster_plan(world).pk]
    ),
    "roster:export_csv": Route(
        expect=only(ROSTER_VIEWERS), args=lambda world: [_roster_plan(world).pk]
    ),
    "roster:export_pdf": Route(
        expect=only(ROSTER_VIEWERS), args=lambda world: [_roster_plan(world).pk]
    ),
    # the calendar feed needs no sign-in but its secret: an unknown one answers 404 to everyone
    "roster:calendar": Route(expect=everyone("no"), args=lambda world: ["x" * 43]),
    "roster:mine": Route(expect=only(ROSTER_OWN)),
    "roster:calendar_renew": Route(method="POST", expect=only(ROSTER_OWN)),
}

# The Django admin decides by its own staff flag: only the administrator (is_staff) gets in.
NAMESPACE_RULES: dict[str, Route] = {
    "admin": Route(expect=everyone("login", admin="ok")),
}


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def project_url_names() -> set[str]:
    return _url_names(get_resolver().url_patterns)


def test_every_url_name_of_the_project_has_a_decision_in_the_matrix():
    undecided = {
        name
        for name in project_url_names()
        if name not in MATRIX and name.split(":")[0] not in NAMESPACE_RULES
    }
    assert not undecided, (
        f"URL names without an entry in the permission matrix: {sorted(undecided)}"
    )


def test_the_matrix_lists_no_url_name_that_does_not_exist():
    assert set(MATRIX) <= project_url_names()


def test_the_matrix_decides_for_every_persona():
    for name, route in {**MATRIX, **NAMESPACE_RULES}.items():
        assert set(route.expect) == set(PERSONA_NAMES), name


@pytest.fixture
def world(db) -> World:
    staff = {name: persona_create(name) for name in PERSONAS}
    people: dict[str, User | None] = {**staff, "anonymous": None}
    kod = Unit.objects.get(slug="kod")
    concern = ConcernFactory.create(category=CategoryFactory.create(default_unit=kod))
    saved = SavedFilter.objects.create(owner=staff["kod_lead"], name="Offen", query="status=new")
    attachment = attachment_add(
        concern=concern,
        upload=upload_clean(data=b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", name="Lageplan.pdf"),
        by=staff["kod_lead"],
        expected_version=None,
    )
    public_category = CategoryFactory.create(default_unit=kod, is_public=True)
    public_concern = ConcernFactory.create(category=public_category, is_public=True)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(image, format="PNG")
    photo = attachment_add(
        concern=public_concern,
        upload=upload_clean(data=image.getvalue(), name="Foto.png"),
        by=staff["kod_lead"],
        expected_version=None,
    )
    Attachment.objects.filter(pk=photo.pk).update(is_public=True)
    return World(
        concern=concern,
        attachment=attachment,
        saved_filter=saved,
        released_photo=photo,
        public_service_code=public_category.open311_service_code,
        people=people,
    )


def _outcome(response: Any) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302) and ("/anmelden/" in location or "/admin/login/" in location):
        return "login"
    if status in (403, 404):
        return "no"
    if status < 400 or status in (400, 409, 413):
        return "ok"
    return f"unexpected {status}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_url_answers_each_persona_as_the_matrix_says(name, world):
    route = MATRIX[name]
    url = reverse(name, args=route.args(world)) + route.query
    outcomes = {}
    for persona in PERSONA_NAMES:
        client = Client()
        person = world.people[persona]
        if person is not None:
            client.force_login(person)
        response = client.post(url, route.data) if route.method == "POST" else client.get(url)
        outcomes[persona] = _outcome(response)
    assert outcomes == route.expect


def test_posting_a_service_request_without_an_api_key_is_refused_for_everyone(world):
    url = reverse("open311:requests", args=OPEN311_POST.args(world))
    for persona in PERSONA_NAMES:
        client = Client()
        person = world.people[persona]
        if person is not None:
            client.force_login(person)
        assert _outcome(client.post(url, {})) == OPEN311_POST.expect[persona], persona


def test_the_admin_lets_in_the_administrator_only(world):
    for persona in PERSONA_NAMES:
        client = Client()
        person = world.people[persona]
        if person is not None:
            client.force_login(person)
        response = client.get(reverse("admin:index"))
        expected = NAMESPACE_RULES["admin"].expect[persona]
        assert _outcome(response) == expected, persona
        if expected == "ok":
            assert reverse("admin:intake_category_changelist") in response.content.decode()
