"""Writes of the geography: the tenant's geodata import and the upload of official areas.

Both keep the ids of rows that stay (concerns point to areas and zones) and invalidate the in-process
point index (selectors.place_index).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from shapely.geometry.base import BaseGeometry

from kontaktpunkt.geo.geometry import from_geojson, to_geojson, to_metric
from kontaktpunkt.geo.models import Area, Facility, Zone, ZoneKind
from kontaktpunkt.geo.selectors import place_index_invalidate
from kontaktpunkt.geo.sources import (
    GeodataPlan,
    PlaceSpec,
    PlannedArea,
    ZoneSpec,
    area_slug,
    geodata_plan,
)
from kontaktpunkt.geo.validation import (
    MSG_BAD_LEVEL,
    MSG_DUPLICATE,
    UploadedArea,
    errors_limited,
    geojson_areas_parse,
)

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=models.Model)
KeyT = TypeVar("KeyT")

# Share of an uploaded polygon that must lie in the city boundary.
MIN_SHARE_IN_CITY = 0.5

MSG_OUTSIDE_CITY = (
    "Feature {position} („{name}“) liegt nicht im Stadtgebiet. Sind Längen- und Breitengrad "
    "vertauscht?"
)
MSG_UNKNOWN_PARENT = "Feature {position}: Der Stadtbezirk „{parent}“ ist nicht bekannt."
MSG_NO_CITY = "Es ist noch keine Stadtgrenze eingerichtet; bitte zuerst die Geodaten importieren."


@dataclass
class ImportSummary:
    """What geodata_import wrote. `kept_levels`: levels left alone because they are official."""

    areas: int = 0
    facilities: int = 0
    zones: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_levels: list[str] = field(default_factory=list)


def geodata_import(
    *,
    directory: Path,
    places: Sequence[PlaceSpec] | None = None,
    zones: Sequence[ZoneSpec] | None = None,
) -> ImportSummary:
    """Bring boundary, districts, quarters, facilities and zones in line with a geodata folder.

    Idempotent: a second run changes nothing. Rows are matched by key (areas by level and slug,
    facilities by source and source id, ban zones by facility, other zones by kind and name) and
    keep their ids. Districts or quarters that an administrator replaced by official polygons
    (approximate=False) are kept. Zones set by hand in the admin are never deleted; an admin's
    `active` switch is kept.
    """
    plan = geodata_plan(directory=directory, places=places, zones=zones)
    summary = ImportSummary()
    with transaction.atomic():
        city = _city_write(plan.city, summary)
        facilities = _facilities_write(plan, summary)
        _zones_write(plan, facilities, summary)
        _areas_write(plan, city, summary)
        transaction.on_commit(place_index_invalidate)
    place_index_invalidate()
    logger.info("geodata imported from %s: %s", directory, summary)
    return summary


def _sync(
    model: type[ModelT],
    existing: Mapping[KeyT, ModelT],
    desired: Mapping[KeyT, dict[str, Any]],
    summary: ImportSummary,
) -> dict[KeyT, ModelT]:
    """Create the missing rows and update the changed ones (only changed fields); no deletes."""
    rows: dict[KeyT, ModelT] = {}
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    changed_fields: set[str] = set()
    for key, values in desired.items():
        row = existing.get(key)
        if row is None:
            row = model(**values)
            to_create.append(row)
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            if changed:
                to_update.append(row)
                changed_fields.update(changed)
        rows[key] = row
    model._default_manager.bulk_create(to_create, batch_size=500)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    summary.created += len(to_create)
    summary.updated += len(to_update)
    return rows


def _delete(queryset: models.QuerySet[Any], summary: ImportSummary) -> None:
    deleted, _by_model = queryset.delete()
    summary.deleted += deleted


def _area_values(planned: PlannedArea, parent_id: int | None) -> dict[str, Any]:
    return {
        "level": planned.level,
        "slug": planned.slug,
        "name": planned.name,
        "geometry": planned.geometry,
        "approximate": planned.approximate,
        "source": planned.source,
        "parent_id": parent_id,
    }


def _city_write(planned: PlannedArea, summary: ImportSummary) -> Area:
    existing = {a.slug: a for a in Area.objects.filter(level=Area.Level.CITY, slug=planned.slug)}
    rows = _sync(Area, existing, {planned.slug: _area_values(planned, None)}, summary)
    summary.areas += 1
    return rows[planned.slug]


def _facilities_write(plan: GeodataPlan, summary: ImportSummary) -> dict[tuple[str, str], Facility]:
    existing = {
        (f.source, f.source_id): f
        for f in Facility.objects.filter(source__in=plan.facility_sources)
    }
    desired = {
        f.key: {
            "kind": f.kind,
            "name": f.name,
            "street": f.street,
            "postcode": f.postcode,
            "lat": f.lat,
            "lon": f.lon,
            "source": f.source,
            "source_id": f.source_id,
        }
        for f in plan.facilities
    }
    rows = _sync(Facility, existing, desired, summary)
    stale = [f.pk for key, f in existing.items() if key not in desired]
    _delete(Facility.objects.filter(pk__in=stale), summary)
    summary.facilities = len(rows)
    return rows


def _zones_write(
    plan: GeodataPlan, facilities: Mapping[tuple[str, str], Facility], summary: ImportSummary
) -> None:
    facility_ids = [f.pk for f in facilities.values()]
    existing_ban: dict[int, Zone] = {}
    for zone in Zone.objects.filter(kind=ZoneKind.BAN_ZONE, facility_id__in=facility_ids).order_by(
        "id"
    ):
        existing_ban.setdefault(zone.facility_id or 0, zone)
    existing_other = {
        (z.kind, z.name): z for z in Zone.objects.filter(facility__isnull=True).order_by("-id")
    }
    desired_ban: dict[int, dict[str, Any]] = {}
    desired_other: dict[tuple[str, str], dict[str, Any]] = {}
    for planned in plan.zones:
        values = {
            "kind": planned.kind,
            "name": planned.name,
            "geometry": planned.geometry,
            "radius_m": planned.radius_m,
            "approximate": planned.approximate,
            "description": planned.description,
            "facility_id": None,
        }
        if planned.facility_key is not None:
            facility = facilities[planned.facility_key]
            values["facility_id"] = facility.pk
            desired_ban[facility.pk] = values
        else:
            desired_other[(planned.kind, planned.name)] = values
    ban = _sync(Zone, existing_ban, desired_ban, summary)
    other = _sync(Zone, existing_other, desired_other, summary)
    stale = [z.pk for facility_id, z in existing_ban.items() if facility_id not in desired_ban]
    _delete(Zone.objects.filter(pk__in=stale), summary)
    summary.zones = len(ban) + len(other)


def _areas_write(plan: GeodataPlan, city: Area, summary: ImportSummary) -> None:
    official = set(
        Area.objects.filter(
            level__in=[Area.Level.DISTRICT, Area.Level.QUARTER], approximate=False
        ).values_list("level", flat=True)
    )
    existing_districts = {a.slug: a for a in Area.objects.filter(level=Area.Level.DISTRICT)}
    if Area.Level.DISTRICT in official:
        summary.kept_levels.append(Area.Level.DISTRICT)
        districts = existing_districts
        desired_districts: dict[str, dict[str, Any]] = {}
    else:
        desired_districts = {p.slug: _area_values(p, city.pk) for p in plan.districts}
        districts = _sync(Area, existing_districts, desired_districts, summary)
        summary.areas += len(districts)

    if Area.Level.QUARTER in official:
        summary.kept_levels.append(Area.Level.QUARTER)
    else:
        existing_quarters = {a.slug: a for a in Area.objects.filter(level=Area.Level.QUARTER)}
        desired_quarters = {}
        for planned in plan.quarters:
            if Area.Level.DISTRICT in official:
                parent = _largest_overlap(from_geojson(planned.geometry), districts.values())
            else:
                parent = districts.get(planned.parent_slug or "")
            desired_quarters[planned.slug] = _area_values(planned, parent.pk if parent else None)
        summary.areas += len(_sync(Area, existing_quarters, desired_quarters, summary))
        stale = [a.pk for slug, a in existing_quarters.items() if slug not in desired_quarters]
        _delete(Area.objects.filter(pk__in=stale), summary)

    if Area.Level.DISTRICT not in official:
        stale = [a.pk for slug, a in existing_districts.items() if slug not in desired_districts]
        _delete(Area.objects.filter(pk__in=stale), summary)


def _largest_overlap(geometry: BaseGeometry, candidates: Iterable[Area]) -> Area | None:
    """The candidate that shares the most surface with `geometry` (WGS84), if any shares some."""
    metric = to_metric(geometry)
    best, best_area = None, 0.0
    for candidate in candidates:
        shared = metric.intersection(to_metric(from_geojson(candidate.geometry))).area
        if shared > best_area:
            best, best_area = candidate, shared
    return best


def areas_replace_from_geojson(
    *,
    level: str,
    feature_collection: object,
    name_property: str,
    parent_property: str | None = None,
    source: str = "GeoJSON",
) -> int:
    """Replace all districts or all quarters by the polygons of an uploaded FeatureCollection.

    Validates first and raises one ValidationError with German messages; on any error nothing
    changes. Areas whose key (slug of the name; for quarters with a parent property, of parent and
    name) already exists keep their id. Quarters are nested in the district named by
    `parent_property`, else in the district they overlap most. Replacing districts re-attaches the
    quarters of removed districts by overlap. Returns the number of areas written.
    """
    if level not in (Area.Level.DISTRICT, Area.Level.QUARTER):
        raise ValidationError(MSG_BAD_LEVEL)
    uploaded = geojson_areas_parse(
        feature_collection=feature_collection,
        name_property=name_property,
        parent_property=parent_property or None,
    )
    with transaction.atomic():
        city = Area.objects.filter(level=Area.Level.CITY).order_by("id").first()
        if city is None:
            raise ValidationError(MSG_NO_CITY)
        parents = _parents_check(uploaded, city, level, bool(parent_property))
        desired: dict[str, dict[str, Any]] = {}
        duplicates: list[str] = []
        for area in uploaded:
            parent = parents.get(area.position)
            slug = area_slug(
                f"{parent.name} {area.name}" if parent_property and parent else area.name
            )
            if slug in desired:
                duplicates.append(MSG_DUPLICATE.format(position=area.position, name=area.name))
            desired[slug] = {
                "level": level,
                "slug": slug,
                "name": area.name,
                "geometry": to_geojson(area.geometry),
                "approximate": False,
                "source": source[:300],
                "parent_id": parent.pk if parent else None,
            }
        if duplicates:
            raise ValidationError(errors_limited(duplicates))
        existing = {a.slug: a for a in Area.objects.filter(level=level)}
        stale = [a for slug, a in existing.items() if slug not in desired]
        orphans: list[Area] = []
        if level == Area.Level.DISTRICT:
            orphans = list(Area.objects.filter(parent__in=stale, level=Area.Level.QUARTER))
            Area.objects.filter(pk__in=[o.pk for o in orphans]).update(parent=None)
        Area.objects.filter(pk__in=[a.pk for a in stale]).delete()
        rows = _sync(Area, existing, desired, ImportSummary())
        for orphan in orphans:
            orphan.parent = _largest_overlap(from_geojson(orphan.geometry), rows.values())
        Area.objects.bulk_update(orphans, ["parent"])
        transaction.on_commit(place_index_invalidate)
    place_index_invalidate()
    logger.info("%d areas of level %s replaced from %s", len(rows), level, source)
    return len(rows)


def _parents_check(
    uploaded: Sequence[UploadedArea], city: Area, level: str, by_property: bool
) -> dict[int, Area]:
    """The parent of each uploaded area by position; a ValidationError for what does not fit."""
    city_metric = to_metric(from_geojson(city.geometry))
    districts = list(Area.objects.filter(level=Area.Level.DISTRICT)) if level == "quarter" else []
    by_name = {d.name.casefold(): d for d in districts} | {d.slug: d for d in districts}
    errors: list[str] = []
    parents: dict[int, Area] = {}
    for area in uploaded:
        metric = to_metric(area.geometry)
        if metric.intersection(city_metric).area < MIN_SHARE_IN_CITY * metric.area:
            errors.append(MSG_OUTSIDE_CITY.format(position=area.position, name=area.name))
            continue
        if level == Area.Level.DISTRICT:
            parents[area.position] = city
        elif by_property:
            parent = by_name.get(area.parent_name.casefold()) or by_name.get(
                area_slug(area.parent_name)
            )
            if parent is None:
                errors.append(
                    MSG_UNKNOWN_PARENT.format(position=area.position, parent=area.parent_name)
                )
            else:
                parents[area.position] = parent
        else:
            overlap = _largest_overlap(area.geometry, districts)
            if overlap is not None:
                parents[area.position] = overlap
    if errors:
        raise ValidationError(errors_limited(errors))
    return parents
