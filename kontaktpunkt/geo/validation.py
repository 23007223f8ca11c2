"""Checks of uploaded GeoJSON, with German messages for the administrator (asked for in German).

No database here: the checks that need the city boundary or the districts live in services.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from kontaktpunkt.geo.geometry import from_geojson, polygonal_part

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 10
POLYGON_TYPES = frozenset({"Polygon", "MultiPolygon"})
WGS84_NAMES = frozenset(
    {
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "CRS84",
        "OGC:CRS84",
    }
)

MSG_NOT_JSON = "Die Datei ist kein gültiges JSON (Zeile {line}, Spalte {column})."
MSG_NOT_UTF8 = "Die Datei ist nicht in UTF-8 kodiert."
MSG_TOO_LARGE = "Die Datei ist größer als {megabytes} MB."
MSG_NOT_FEATURE_COLLECTION = (
    'Die Datei ist keine GeoJSON-FeatureCollection (erwartet: "type": "FeatureCollection").'
)
MSG_NO_FEATURES = "Die FeatureCollection enthält keine Features."
MSG_OTHER_CRS = (
    "Die Datei gibt das Koordinatensystem {crs} an; erwartet wird WGS84 (EPSG:4326, Längen- und "
    "Breitengrad)."
)
MSG_NOT_A_FEATURE = "Feature {position}: Das ist kein GeoJSON-Feature."
MSG_NOT_POLYGON = (
    "Feature {position}: Die Geometrie ist kein Polygon oder MultiPolygon (gefunden: {found})."
)
MSG_MISSING_NAME = "Feature {position}: Die Eigenschaft „{property}“ fehlt oder ist leer."
MSG_MISSING_PARENT = (
    "Feature {position}: Die Eigenschaft „{property}“ mit dem Namen des Stadtbezirks fehlt oder ist "
    "leer."
)
MSG_OUT_OF_RANGE = (
    "Feature {position}: Koordinaten außerhalb des WGS84-Bereichs (Längengrad -180 bis 180, "
    "Breitengrad -90 bis 90). Liegt die Datei vielleicht in einem projizierten Koordinatensystem wie "
    "EPSG:25832 vor?"
)
MSG_BAD_COORDINATES = "Feature {position}: Die Koordinaten sind unvollständig oder keine Zahlen."
MSG_INVALID = "Feature {position}: Die Geometrie ist ungültig ({reason})."
MSG_DUPLICATE = "Feature {position}: Der Name „{name}“ kommt mehrfach vor."
MSG_BAD_LEVEL = "Ersetzt werden können nur Stadtbezirke oder Stadtteile."
MSG_MORE_ERRORS = "… und {count} weitere Fehler."
MSG_GEOMETRY_NOT_POLYGON = "Die Geometrie ist kein GeoJSON-Polygon oder -MultiPolygon."
MSG_GEOMETRY_OUT_OF_RANGE = (
    "Die Koordinaten liegen außerhalb des WGS84-Bereichs (Längengrad -180 bis 180, Breitengrad -90 "
    "bis 90)."
)
MSG_GEOMETRY_INVALID = "Die Geometrie ist ungültig ({reason})."


@dataclass(frozen=True)
class UploadedArea:
    """One polygon of an upload: its position in the file (from 1), name, parent name, geometry."""

    position: int
    name: str
    parent_name: str
    geometry: BaseGeometry


def geojson_load(data: bytes) -> Any:
    """Parse an uploaded file as JSON, or raise a ValidationError in German."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(MSG_TOO_LARGE.format(megabytes=MAX_UPLOAD_BYTES // (1024 * 1024)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(MSG_NOT_UTF8) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(MSG_NOT_JSON.format(line=exc.lineno, column=exc.colno)) from exc


def _numbers(coordinates: Any) -> Iterator[float]:
    """Every number of a GeoJSON coordinates array; ValueError when the nesting is wrong."""
    if isinstance(coordinates, list | tuple):
        if coordinates and all(isinstance(c, int | float) for c in coordinates):
            if len(coordinates) < 2:
                raise ValueError("a position needs two numbers")
            yield float(coordinates[0])
            yield float(coordinates[1])
            return
        for item in coordinates:
            yield from _numbers(item)
        return
    raise ValueError("not a coordinates array")


def _in_wgs84_range(coordinates: Any) -> bool:
    numbers = list(_numbers(coordinates))
    lons, lats = numbers[0::2], numbers[1::2]
    return all(math.isfinite(v) for v in numbers) and (
        all(-180 <= v <= 180 for v in lons) and all(-90 <= v <= 90 for v in lats)
    )


@dataclass(frozen=True)
class _Checked:
    shape: BaseGeometry | None
    problem: str = ""
    reason: str = ""


def _polygon(geometry: Any) -> _Checked:
    """The shapely polygon, or the message template of what is wrong (and GEOS's reason)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        return _Checked(None, MSG_NOT_POLYGON)
    try:
        in_range = _in_wgs84_range(geometry.get("coordinates"))
    except ValueError:
        return _Checked(None, MSG_BAD_COORDINATES)
    if not in_range:
        return _Checked(None, MSG_OUT_OF_RANGE)
    try:
        shape = from_geojson(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, GEOSException):
        return _Checked(None, MSG_BAD_COORDINATES)
    if shape.is_empty:
        return _Checked(None, MSG_BAD_COORDINATES)
    if not shape.is_valid:
        repaired = polygonal_part(shapely.make_valid(shape))
        if repaired.is_empty:
            return _Checked(None, MSG_INVALID, str(shapely.is_valid_reason(shape)))
        shape = repaired
    return _Checked(shape)


def geometry_check(geometry: Any) -> BaseGeometry:
    """A single GeoJSON polygon geometry in WGS84 (admin forms), or a ValidationError in German."""
    checked = _polygon(geometry)
    if checked.shape is not None:
        return checked.shape
    if checked.problem == MSG_OUT_OF_RANGE:
        raise ValidationError(MSG_GEOMETRY_OUT_OF_RANGE)
    if checked.problem == MSG_INVALID:
        raise ValidationError(MSG_GEOMETRY_INVALID.format(reason=checked.reason))
    raise ValidationError(MSG_GEOMETRY_NOT_POLYGON)


def _crs_name(collection: dict[str, Any]) -> str:
    crs = collection.get("crs")
    if not isinstance(crs, dict):
        return ""
    properties = crs.get("properties")
    return str(properties.get("name", "")) if isinstance(properties, dict) else ""


def geojson_areas_parse(
    *, feature_collection: Any, name_property: str, parent_property: str | None = None
) -> list[UploadedArea]:
    """The areas of an uploaded FeatureCollection, or one ValidationError listing what is wrong."""
    if not isinstance(feature_collection, dict) or feature_collection.get("type") != (
        "FeatureCollection"
    ):
        raise ValidationError(MSG_NOT_FEATURE_COLLECTION)
    crs = _crs_name(feature_collection)
    if crs and crs not in WGS84_NAMES:
        raise ValidationError(MSG_OTHER_CRS.format(crs=crs))
    features = feature_collection.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(MSG_NO_FEATURES)

    errors: list[str] = []
    areas: list[UploadedArea] = []
    names: set[str] = set()
    for position, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(MSG_NOT_A_FEATURE.format(position=position))
            continue
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        name = str(properties.get(name_property) or "").strip()
        parent = str(properties.get(parent_property) or "").strip() if parent_property else ""
        geometry = feature.get("geometry")
        checked = _polygon(geometry)
        if checked.problem:
            found = geometry.get("type") if isinstance(geometry, dict) else "keine Geometrie"
            errors.append(
                checked.problem.format(position=position, found=found, reason=checked.reason)
            )
        if not name:
            errors.append(MSG_MISSING_NAME.format(position=position, property=name_property))
        if parent_property and not parent:
            errors.append(MSG_MISSING_PARENT.format(position=position, property=parent_property))
        key = f"{parent.casefold()}\x1f{name.casefold()}"
        if name and key in names:
            errors.append(MSG_DUPLICATE.format(position=position, name=name))
        names.add(key)
        if checked.shape is not None and name:
            areas.append(UploadedArea(position, name, parent, checked.shape))
    if errors:
        raise ValidationError(errors_limited(errors))
    return areas


def errors_limited(errors: list[str]) -> list[str]:
    """At most MAX_ERRORS messages, and a last line that says how many more there were."""
    if len(errors) <= MAX_ERRORS:
        return errors
    return [*errors[:MAX_ERRORS], MSG_MORE_ERRORS.format(count=len(errors) - MAX_ERRORS)]
