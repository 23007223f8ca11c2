"""Reads of the geography: the point index, built from the database and kept in the process.

The index is rebuilt when the geography changes. Writes through services.py and the admin call
place_index_invalidate(); as a safety net (another process wrote, or a row was changed by hand) every
call compares a cheap fingerprint (count and largest id per table) and the index is rebuilt at the
latest after PLACE_INDEX_MAX_AGE_S seconds.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from kontaktpunkt.core.process_cache import ProcessCache
from kontaktpunkt.geo.models import Area, Facility, Zone
from kontaktpunkt.geo.resolve import AreaData, FacilityData, PlaceIndex, ZoneData

PLACE_INDEX_MAX_AGE_S = 300.0

Fingerprint = tuple[tuple[int, int], ...]


def _fingerprint() -> Fingerprint:
    """Count and largest id of areas, active zones and facilities, in one round trip."""
    quote = connection.ops.quote_name
    area, zone, facility = (quote(m._meta.db_table) for m in (Area, Zone, Facility))
    active = quote("active")
    # table names from the models' meta, quoted; the one value is a parameter
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {area}), (SELECT MAX(id) FROM {area}), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {zone} WHERE {active} = %s), "
        f"(SELECT MAX(id) FROM {zone} WHERE {active} = %s), "
        f"(SELECT COUNT(*) FROM {facility}), (SELECT MAX(id) FROM {facility})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, True])
        row = cursor.fetchone()
    values = [int(v or 0) for v in row]
    return ((values[0], values[1]), (values[2], values[3]), (values[4], values[5]))


def areas_of_level(*, level: str) -> QuerySet[Area]:
    return Area.objects.filter(level=level).select_related("parent").order_by("name", "id")


def place_index_build() -> PlaceIndex:
    """A fresh index of the city boundary, districts, quarters, active zones and facilities."""
    areas = list(Area.objects.order_by("level", "id"))
    boundary = next((a.geometry for a in areas if a.level == Area.Level.CITY), None)
    return PlaceIndex(
        boundary=boundary,
        areas=[
            AreaData(
                id=a.pk, level=a.level, name=a.name, geometry=a.geometry, parent_id=a.parent_id
            )
            for a in areas
            if a.level != Area.Level.CITY
        ],
        zones=[
            ZoneData(id=z.pk, kind=z.kind, name=z.name, geometry=z.geometry)
            for z in Zone.objects.filter(active=True).order_by("id")
        ],
        facilities=[
            FacilityData(id=f.pk, kind=f.kind, name=f.name, lat=f.lat, lon=f.lon)
            for f in Facility.objects.order_by("id")
        ],
    )


_cache: ProcessCache[PlaceIndex] = ProcessCache(
    build=place_index_build, fingerprint=_fingerprint, max_age_s=PLACE_INDEX_MAX_AGE_S
)


def place_index() -> PlaceIndex:
    """The process's index, rebuilt when the geography changed."""
    return _cache.get()


def place_index_invalidate() -> None:
    """Forget the index: the next place_index() builds it anew."""
    _cache.invalidate()
