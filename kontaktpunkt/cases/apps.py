from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kontaktpunkt.cases"
    label = "cases"
    verbose_name = _("Case handling")
