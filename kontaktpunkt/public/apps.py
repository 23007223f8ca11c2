from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The citizens' side: the reporting form, the status page and the public map (and its moderation)."""

    name = "kontaktpunkt.public"
    label = "public"
    verbose_name = _("Citizens' side")
