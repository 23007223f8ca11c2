"""Fixtures of the roster tests: the KOD-48 benchmark instance and slices of it."""

from __future__ import annotations

import pytest

from kontaktpunkt.roster.domain import Instance
from kontaktpunkt.roster.instance import instance_bundled, instance_head


@pytest.fixture(scope="session")
def kod48() -> Instance:
    return instance_bundled("kod48")


@pytest.fixture(scope="session")
def kod48_week(kod48: Instance) -> Instance:
    return instance_head(kod48, 7)


@pytest.fixture(scope="session")
def kod48_fortnight(kod48: Instance) -> Instance:
    return instance_head(kod48, 14)
