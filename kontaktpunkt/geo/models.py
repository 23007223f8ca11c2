"""Places of the city: its boundary, districts and quarters, zones and facilities.

Geometries are stored as GeoJSON geometry objects in WGS84 (longitude, latitude), so that no system GDAL
is needed; shapely and pyproj work on them in memory (see resolve.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A named polygon: the city, a district or a quarter."""

    class Level(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        QUARTER = "quarter", _("quarter")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("key"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"))
    approximate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("Derived from labelled points, not an official boundary."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "slug"], name="area_unique_slug_per_level")
        ]

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    PLAYGROUND = "playground", _("playground")
    YOUTH_CENTRE = "youth_centre", _("youth centre")
    POLICE_STATION = "police_station", _("police station")
    ADMINISTRATION = "administration", _("administration site")
    PARK = "park", _("park")
    HELP_FACILITY = "help_facility", _("help facility")
    PLACE = "place", _("named place")


class Facility(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=300)
    street = models.CharField(_("street and number"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"], name="facility_kind_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class ZoneKind(models.TextChoices):
    BAN_ZONE = "ban_zone", _("ban zone around a facility")
    CITY_CENTRE_BAN = "city_centre_ban", _("city-centre alcohol ban zone")
    HOTSPOT = "hotspot", _("hotspot")
    OTHER = "other", _("other zone")


class Zone(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ZoneKind.choices)
    name = models.CharField(_("name"), max_length=300)
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"))
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("around facility"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="zones",
    )
    radius_m = models.PositiveIntegerField(_("radius in metres"), null=True, blank=True)
    approximate = models.BooleanField(_("approximate"), default=False)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
