from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "kontaktpunkt.roster"
    label = "roster"
    verbose_name = _("Duty roster")
