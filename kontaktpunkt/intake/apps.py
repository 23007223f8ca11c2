from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kontaktpunkt.intake"
    label = "intake"
    verbose_name = _("Concerns")
