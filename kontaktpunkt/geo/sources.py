"""A tenant's geodata files, read into a plan of rows to write: no database here.

A tenant's `geodata/` folder holds GeoJSON files and two small JSON files that say how to read them:

- `manifest.json`: the boundary file, the facility files and their kinds, which facility kinds get a
  ban zone of which radius, and which labelled points approximate the districts and quarters;
- `places.json` (optional): named places set by hand, and zones (polygons, or circles around a place).

Nothing city-specific lives in this module: a second city brings its own folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.utils.text import slugify
from shapely.geometry.base import BaseGeometry

from kontaktpunkt.geo.geometry import (
    circles,
    from_geojson,
    lonlat_to_metric,
    to_geojson,
    to_metric,
    to_wgs84,
    voronoi_partition,
)
from kontaktpunkt.geo.models import Area, FacilityKind, ZoneKind

MANIFEST_FILE = "manifest.json"
PLACES_FILE = "places.json"


class GeodataError(ValueError):
    """A tenant's geodata files are missing or do not say what the import needs."""


@dataclass(frozen=True)
class PlaceSpec:
    """A named place set by hand (Facility of kind `place` or `help_facility`)."""

    key: str
    kind: str
    name: str
    lat: float
    lon: float
    street: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class ZoneSpec:
    """A zone set by hand: a polygon of (lon, lat) pairs, or a circle around a place or a point."""

    kind: str
    name: str
    polygon: tuple[tuple[float, float], ...] = ()
    around: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None
    approximate: bool = False
    description: str = ""


@dataclass(frozen=True)
class PlannedArea:
    level: str
    slug: str
    name: str
    geometry: dict[str, Any]
    approximate: bool
    source: str
    parent_slug: str | None = None


@dataclass(frozen=True)
class PlannedFacility:
    kind: str
    name: str
    street: str
    postcode: str
    lat: float
    lon: float
    source: str
    source_id: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.source_id)


@dataclass(frozen=True)
class PlannedZone:
    kind: str
    name: str
    geometry: dict[str, Any]
    approximate: bool = False
    description: str = ""
    radius_m: int | None = None
    facility_key: tuple[str, str] | None = None


@dataclass(frozen=True)
class GeodataPlan:
    """Everything one import writes. `facility_sources` are the sources whose rows it owns."""

    city: PlannedArea
    districts: tuple[PlannedArea, ...]
    quarters: tuple[PlannedArea, ...]
    facilities: tuple[PlannedFacility, ...]
    zones: tuple[PlannedZone, ...]
    facility_sources: tuple[str, ...] = field(default=())


def tenant_geodata_directory(tenant: str | None = None) -> Path:
    """The geodata folder of a tenant (default: settings.KP_TENANT)."""
    name = tenant or settings.KP_TENANT
    return Path(__file__).resolve().parent.parent / "tenants" / name / "geodata"


_GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def area_slug(name: str) -> str:
    """A readable key for an area name: "Dießem-Lehmheide" -> "diessem-lehmheide"."""
    return slugify(name.translate(_GERMAN_LETTERS))[:100]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GeodataError(f"{path} is missing") from exc
    except json.JSONDecodeError as exc:
        raise GeodataError(f"{path} is not valid JSON: {exc}") from exc


def _features(path: Path) -> list[dict[str, Any]]:
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeodataError(f"{path} is not a GeoJSON FeatureCollection")
    features: list[dict[str, Any]] = data.get("features") or []
    return features


def _text(value: object) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise GeodataError(f"{where}: '{key}' is missing")
    return mapping[key]


def places_read(*, directory: Path) -> tuple[list[PlaceSpec], list[ZoneSpec], str]:
    """Named places, hand-set zones and their source text from `places.json` (empty if absent)."""
    path = directory / PLACES_FILE
    if not path.exists():
        return [], [], PLACES_FILE
    data = _read_json(path)
    places = [
        PlaceSpec(
            key=str(_require(p, "key", PLACES_FILE)),
            kind=str(p.get("kind", FacilityKind.PLACE)),
            name=str(_require(p, "name", PLACES_FILE)),
            lat=float(_require(p, "lat", PLACES_FILE)),
            lon=float(_require(p, "lon", PLACES_FILE)),
            street=str(p.get("street", "")),
            postcode=str(p.get("postcode", "")),
        )
        for p in data.get("places", [])
    ]
    zones = [
        ZoneSpec(
            kind=str(_require(z, "kind", PLACES_FILE)),
            name=str(_require(z, "name", PLACES_FILE)),
            polygon=tuple((float(lon), float(lat)) for lon, lat in z.get("polygon", [])),
            around=str(z.get("around", "")),
            lat=float(z["lat"]) if "lat" in z else None,
            lon=float(z["lon"]) if "lon" in z else None,
            radius_m=int(z["radius_m"]) if "radius_m" in z else None,
            approximate=bool(z.get("approximate", False)),
            description=str(z.get("description", "")),
        )
        for z in data.get("zones", [])
    ]
    return places, zones, str(data.get("source", PLACES_FILE))


def geodata_plan(
    *,
    directory: Path,
    places: Sequence[PlaceSpec] | None = None,
    zones: Sequence[ZoneSpec] | None = None,
) -> GeodataPlan:
    """Read a tenant's geodata folder into the rows an import writes.

    `places` and `zones` replace those of `places.json` when given.
    """
    manifest = _read_json(directory / MANIFEST_FILE)
    if not isinstance(manifest, dict):
        raise GeodataError(f"{directory / MANIFEST_FILE} must hold a JSON object")
    source = str(manifest.get("source", directory.name))
    file_places, file_zones, places_source = places_read(directory=directory)
    places = file_places if places is None else list(places)
    zones = file_zones if zones is None else list(zones)

    city, boundary = _city(directory, manifest, source)
    facilities = _facilities(directory, manifest, source)
    place_rows = [_place_facility(spec, places_source) for spec in places]
    zones_planned = _ban_zones(manifest, facilities) + _hand_zones(zones, places)
    districts: tuple[PlannedArea, ...] = ()
    quarters: tuple[PlannedArea, ...] = ()
    if "areas" in manifest:
        districts, quarters = _areas(directory, manifest["areas"], boundary, city.slug)
    sources = sorted({f.source for f in facilities} | {places_source[:300]})
    return GeodataPlan(
        city=city,
        districts=districts,
        quarters=quarters,
        facilities=tuple(facilities + place_rows),
        zones=tuple(zones_planned),
        facility_sources=tuple(sources),
    )


def _city(
    directory: Path, manifest: Mapping[str, Any], source: str
) -> tuple[PlannedArea, BaseGeometry]:
    spec = _require(manifest, "boundary", MANIFEST_FILE)
    name = str(_require(spec, "name", "boundary"))
    parts = [from_geojson(f["geometry"]) for f in _features(directory / spec["file"])]
    boundary = shapely.union_all(parts)
    if boundary.is_empty or boundary.geom_type not in {"Polygon", "MultiPolygon"}:
        raise GeodataError(f"{spec['file']} holds no polygon")
    city = PlannedArea(
        level=Area.Level.CITY,
        slug=area_slug(name),
        name=name,
        geometry=to_geojson(boundary),
        approximate=False,
        source=source,
    )
    return city, boundary


def _facilities(directory: Path, manifest: Mapping[str, Any], source: str) -> list[PlannedFacility]:
    names = {
        "name": "title",
        "street": "street",
        "postcode": "zip",
        **manifest.get("properties", {}),
    }
    rows: list[PlannedFacility] = []
    for spec in manifest.get("facilities", []):
        kind = str(_require(spec, "kind", "facilities"))
        if kind not in FacilityKind.values:
            raise GeodataError(f"facilities: unknown kind '{kind}'")
        file = str(_require(spec, "file", "facilities"))
        seen: set[str] = set()
        for feature in _features(directory / file):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") != "Point":
                continue
            lon, lat = (float(c) for c in geometry["coordinates"][:2])
            props = feature.get("properties") or {}
            name = _text(props.get(names["name"])) or file
            digest = hashlib.sha1(  # noqa: S324 - a stable key, not a secret
                f"{name}|{lat:.6f}|{lon:.6f}".encode()
            ).hexdigest()[:16]
            if digest in seen:
                continue
            seen.add(digest)
            rows.append(
                PlannedFacility(
                    kind=kind,
                    name=name[:300],
                    street=_text(props.get(names["street"]))[:300],
                    postcode=_text(props.get(names["postcode"]))[:10],
                    lat=round(lat, 7),
                    lon=round(lon, 7),
                    source=f"{source}: {file}"[:300],
                    source_id=digest,
                )
            )
    return rows


def _place_facility(spec: PlaceSpec, source: str) -> PlannedFacility:
    if spec.kind not in FacilityKind.values:
        raise GeodataError(f"place '{spec.key}': unknown kind '{spec.kind}'")
    return PlannedFacility(
        kind=spec.kind,
        name=spec.name,
        street=spec.street,
        postcode=spec.postcode,
        lat=round(spec.lat, 7),
        lon=round(spec.lon, 7),
        source=source[:300],
        source_id=spec.key,
    )


def _ban_zones(
    manifest: Mapping[str, Any], facilities: Sequence[PlannedFacility]
) -> list[PlannedZone]:
    rule = manifest.get("ban_zones")
    if not rule:
        return []
    kinds = set(rule.get("kinds", []))
    radius = int(_require(rule, "radius_m", "ban_zones"))
    name_template = str(rule.get("name", "{facility}"))
    description_template = str(rule.get("description", ""))
    chosen = [f for f in facilities if f.kind in kinds]
    polygons = circles([f.lat for f in chosen], [f.lon for f in chosen], radius_m=radius)
    return [
        PlannedZone(
            kind=ZoneKind.BAN_ZONE,
            name=name_template.format(radius_m=radius, facility=facility.name)[:300],
            geometry=to_geojson(polygon),
            description=description_template.format(radius_m=radius, facility=facility.name),
            radius_m=radius,
            facility_key=facility.key,
        )
        for facility, polygon in zip(chosen, polygons, strict=True)
    ]


def _hand_zones(zones: Sequence[ZoneSpec], places: Sequence[PlaceSpec]) -> list[PlannedZone]:
    by_key = {p.key: p for p in places}
    planned = []
    for spec in zones:
        if spec.kind not in ZoneKind.values:
            raise GeodataError(f"zone '{spec.name}': unknown kind '{spec.kind}'")
        geometry: BaseGeometry
        if spec.polygon:
            geometry = shapely.Polygon(spec.polygon)
        else:
            if spec.around:
                if spec.around not in by_key:
                    raise GeodataError(f"zone '{spec.name}': no place '{spec.around}'")
                lat, lon = by_key[spec.around].lat, by_key[spec.around].lon
            elif spec.lat is not None and spec.lon is not None:
                lat, lon = spec.lat, spec.lon
            else:
                raise GeodataError(f"zone '{spec.name}': needs a polygon, 'around' or lat/lon")
            if not spec.radius_m:
                raise GeodataError(f"zone '{spec.name}': a circle needs radius_m")
            geometry = circles([lat], [lon], radius_m=spec.radius_m)[0]
        if not geometry.is_valid or geometry.is_empty:
            raise GeodataError(f"zone '{spec.name}': the polygon is not valid")
        planned.append(
            PlannedZone(
                kind=spec.kind,
                name=spec.name,
                geometry=to_geojson(geometry),
                approximate=spec.approximate,
                description=spec.description,
                radius_m=spec.radius_m,
            )
        )
    return planned


def _areas(
    directory: Path, spec: Mapping[str, Any], boundary: BaseGeometry, city_slug: str
) -> tuple[tuple[PlannedArea, ...], tuple[PlannedArea, ...]]:
    """Districts and quarters from labelled points: Voronoi cells in the boundary, by label."""
    file = str(_require(spec, "file", "areas"))
    district_property = str(_require(spec, "district_property", "areas"))
    quarter_property = str(spec.get("quarter_property", ""))
    district_names: dict[str, str] = dict(_require(spec, "districts", "areas"))
    quarter_names: dict[str, str] = dict(spec.get("quarters", {}))
    source = str(spec.get("source", f"approximated from {file}"))[:300]

    lons, lats, districts, quarters = [], [], [], []
    for feature in _features(directory / file):
        geometry = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        label = _text(props.get(district_property))
        if geometry.get("type") != "Point" or not label:
            continue
        if label not in district_names:
            raise GeodataError(f"areas: district label '{label}' is not in 'districts'")
        quarter = _text(props.get(quarter_property)) if quarter_property else ""
        lons.append(float(geometry["coordinates"][0]))
        lats.append(float(geometry["coordinates"][1]))
        districts.append(district_names[label])
        quarters.append(quarter_names.get(quarter, quarter))
    if not districts:
        raise GeodataError(f"areas: {file} has no labelled points")

    x, y = lonlat_to_metric(np.asarray(lons), np.asarray(lats))
    _fill_missing_quarters(x, y, districts, quarters)
    boundary_m = to_metric(boundary)
    keys = [f"{d}\x1f{q}" for d, q in zip(districts, quarters, strict=True)]
    quarter_parts = voronoi_partition(boundary=boundary_m, x=x, y=y, labels=keys)

    by_district: dict[str, list[BaseGeometry]] = {}
    for key, part in quarter_parts.items():
        by_district.setdefault(key.split("\x1f")[0], []).append(part)
    planned_districts = tuple(
        PlannedArea(
            level=Area.Level.DISTRICT,
            slug=area_slug(name),
            name=name,
            geometry=to_geojson(to_wgs84(shapely.union_all(parts))),
            approximate=True,
            source=source,
            parent_slug=city_slug,
        )
        for name, parts in sorted(by_district.items())
    )
    pairs = {key: tuple(key.split("\x1f")) for key in quarter_parts}
    quarter_count = Counter(quarter for _, quarter in pairs.values())
    planned_quarters = []
    for key, part in quarter_parts.items():
        district, quarter = pairs[key]
        planned_quarters.append(
            PlannedArea(
                level=Area.Level.QUARTER,
                slug=area_slug(f"{district} {quarter}"),
                name=quarter if quarter_count[quarter] == 1 else f"{quarter} ({district})",
                geometry=to_geojson(to_wgs84(part)),
                approximate=True,
                source=source,
                parent_slug=area_slug(district),
            )
        )
    return planned_districts, tuple(planned_quarters)


def _fill_missing_quarters(
    x: np.ndarray[Any, np.dtype[np.float64]],
    y: np.ndarray[Any, np.dtype[np.float64]],
    districts: list[str],
    quarters: list[str],
) -> None:
    """A point without a quarter label takes that of the nearest labelled point of its district."""
    labelled = [bool(q) for q in quarters]
    for i in range(len(quarters)):
        if labelled[i]:
            continue
        candidates = [
            j for j in range(len(quarters)) if labelled[j] and districts[j] == districts[i]
        ]
        if not candidates:
            quarters[i] = districts[i]
            continue
        distances = (x[candidates] - x[i]) ** 2 + (y[candidates] - y[i]) ** 2
        quarters[i] = quarters[candidates[int(np.argmin(distances))]]
