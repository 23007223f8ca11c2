from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "kontaktpunkt.geo"
    label = "geo"
    verbose_name = _("Geography")
