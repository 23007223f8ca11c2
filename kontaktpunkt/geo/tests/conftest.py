"""Fixtures of the geography tests: the real Krefeld geodata, as a plan, an index, or imported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kontaktpunkt.geo.resolve import AreaData, FacilityData, PlaceIndex, ZoneData
from kontaktpunkt.geo.selectors import place_index_invalidate
from kontaktpunkt.geo.services import ImportSummary, geodata_import
from kontaktpunkt.geo.sources import GeodataPlan, geodata_plan, tenant_geodata_directory


@pytest.fixture(autouse=True)
def _fresh_place_index() -> Iterator[None]:
    """Each test starts and ends without a cached point index (the test database is rolled back)."""
    place_index_invalidate()
    yield
    place_index_invalidate()


@pytest.fixture(scope="session")
def krefeld_directory() -> Path:
    return tenant_geodata_directory("krefeld")


@pytest.fixture(scope="session")
def krefeld_plan(krefeld_directory: Path) -> GeodataPlan:
    return geodata_plan(directory=krefeld_directory)


def index_from_plan(plan: GeodataPlan) -> PlaceIndex:
    """A PlaceIndex of a plan without the database; ids are positions (areas, facilities, zones)."""
    areas = [
        AreaData(id=i, level=a.level, name=a.name, geometry=a.geometry)
        for i, a in enumerate((*plan.districts, *plan.quarters), start=1)
    ]
    facilities = [
        FacilityData(id=i, kind=f.kind, name=f.name, lat=f.lat, lon=f.lon)
        for i, f in enumerate(plan.facilities, start=1)
    ]
    zones = [
        ZoneData(id=i, kind=z.kind, name=z.name, geometry=z.geometry)
        for i, z in enumerate(plan.zones, start=1)
    ]
    return PlaceIndex(boundary=plan.city.geometry, areas=areas, zones=zones, facilities=facilities)


@pytest.fixture(scope="session")
def krefeld_index(krefeld_plan: GeodataPlan) -> PlaceIndex:
    return index_from_plan(krefeld_plan)


@pytest.fixture
def krefeld(db: None, krefeld_directory: Path) -> ImportSummary:
    """The Krefeld geodata imported into the test database (about 0.2 s)."""
    return geodata_import(directory=krefeld_directory)
