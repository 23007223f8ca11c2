"""Reads of the classify app."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from kontaktpunkt.classify.models import Correction


def corrections_since(*, since: datetime | None = None) -> QuerySet[Correction]:
    """Stored corrections, oldest first; with `since`, only those made at or after it."""
    rows = Correction.objects.order_by("at", "id")
    return rows.filter(at__gte=since) if since is not None else rows
