"""Forms of the geography admin: geometry checks and the GeoJSON upload of official areas."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.geo.geometry import to_geojson
from kontaktpunkt.geo.models import Area, Zone
from kontaktpunkt.geo.validation import geojson_load, geometry_check


class AreaAdminForm(forms.ModelForm[Area]):
    class Meta:
        model = Area
        fields = ["level", "name", "slug", "parent", "geometry", "approximate", "source"]

    def clean_geometry(self) -> dict[str, Any]:
        return to_geojson(geometry_check(self.cleaned_data.get("geometry")))


class ZoneAdminForm(forms.ModelForm[Zone]):
    class Meta:
        model = Zone
        fields = [
            "kind",
            "name",
            "geometry",
            "facility",
            "radius_m",
            "approximate",
            "active",
            "description",
        ]

    def clean_geometry(self) -> dict[str, Any]:
        return to_geojson(geometry_check(self.cleaned_data.get("geometry")))


class AreaGeoJSONUploadForm(forms.Form):
    level = forms.ChoiceField(
        label=_("level"),
        choices=[
            (Area.Level.DISTRICT.value, Area.Level.DISTRICT.label),
            (Area.Level.QUARTER.value, Area.Level.QUARTER.label),
        ],
    )
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection of polygons in WGS84 (longitude, latitude)."),
    )
    name_property = forms.CharField(
        label=_("name property"),
        initial="name",
        max_length=100,
        help_text=_("The property of each feature that holds the name of the area."),
    )
    parent_property = forms.CharField(
        label=_("district property"),
        required=False,
        max_length=100,
        help_text=_(
            "Quarters only: the property that holds the name of the district. If empty, each "
            "quarter goes to the district it overlaps most."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            try:
                cleaned["feature_collection"] = geojson_load(upload.read())
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned
