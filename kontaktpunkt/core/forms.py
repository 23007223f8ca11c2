"""Form fields shared by the apps: a point on the map and a map section."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

BBox = tuple[float, float, float, float]

_POINT_INVALID = _("The point on the map is not a valid position; set it again.")
_POINT_ERRORS = {
    "invalid": _POINT_INVALID,
    "min_value": _POINT_INVALID,
    "max_value": _POINT_INVALID,
}


def latitude_field(**kwargs: Any) -> forms.FloatField:
    """A hidden latitude in degrees (set by the map pin or an address hit)."""
    return forms.FloatField(
        widget=forms.HiddenInput,
        required=False,
        min_value=-90.0,
        max_value=90.0,
        error_messages=_POINT_ERRORS,
        **kwargs,
    )


def longitude_field(**kwargs: Any) -> forms.FloatField:
    """A hidden longitude in degrees."""
    return forms.FloatField(
        widget=forms.HiddenInput,
        required=False,
        min_value=-180.0,
        max_value=180.0,
        error_messages=_POINT_ERRORS,
        **kwargs,
    )


def bbox_parse(value: object) -> BBox | None:
    """A map section "west,south,east,north" in degrees; empty means none; anything else is invalid."""
    text = str(value or "").strip()
    if not text:
        return None
    message = _("The map section must be given as west,south,east,north in degrees.")
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise forms.ValidationError(message) from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise forms.ValidationError(message)
    return west, south, east, north
