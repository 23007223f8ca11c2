from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassifyConfig(AppConfig):
    """The text classifier as an app: its commands, the process's model and staff corrections."""

    name = "kontaktpunkt.classify"
    label = "classify"
    verbose_name = _("Classification")
