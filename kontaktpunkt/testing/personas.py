"""Persona fixtures: one signed-in person per role of PRODUCT.md, and the anonymous visitor.

Registered as a pytest plugin by the root conftest.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kontaktpunkt.accounts.models import User

# persona -> (unit slug, role value); models are imported lazily because pytest loads this plugin
# before Django is set up.
PERSONAS: dict[str, tuple[str, str]] = {
    "desk_clerk": ("desk", "desk_clerk"),
    "kod_officer": ("kod", "kod_officer"),
    "kod_lead": ("kod", "kod_lead"),
    "streetworker": ("streetwork", "streetworker"),
    "partner_city_works": ("city-works", "partner"),
    "analyst": ("leadership", "analyst"),
    "admin": ("administration", "admin"),
    "dpo": ("administration", "dpo"),
}


def persona_create(name: str) -> User:
    from kontaktpunkt.accounts.models import Role, Unit
    from kontaktpunkt.accounts.services import user_create

    unit_slug, role_value = PERSONAS[name]
    role = Role(role_value)
    assert Unit.objects.filter(slug=unit_slug).exists(), (
        f"unit {unit_slug} missing: seed migration not run?"
    )
    return user_create(
        username=name,
        password="geheim-123",
        display_name=name.replace("_", " ").title(),
        memberships=[(unit_slug, role)],
        is_staff=name == "admin",
    )


@pytest.fixture
def desk_clerk(db: None) -> User:
    return persona_create("desk_clerk")


@pytest.fixture
def kod_officer(db: None) -> User:
    return persona_create("kod_officer")


@pytest.fixture
def kod_lead(db: None) -> User:
    return persona_create("kod_lead")


@pytest.fixture
def streetworker(db: None) -> User:
    return persona_create("streetworker")


@pytest.fixture
def partner_city_works(db: None) -> User:
    return persona_create("partner_city_works")


@pytest.fixture
def analyst(db: None) -> User:
    return persona_create("analyst")


@pytest.fixture
def admin(db: None) -> User:
    return persona_create("admin")


@pytest.fixture
def dpo(db: None) -> User:
    return persona_create("dpo")
