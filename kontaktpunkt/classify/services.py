"""Writes of the classify app: a staff correction of a suggestion."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kontaktpunkt.classify.corrections import text_redact
from kontaktpunkt.classify.models import Correction


def correction_record(
    *,
    text: str,
    suggested_code: str,
    final_code: str,
    urgency: int,
    at: datetime | None = None,
) -> Correction | None:
    """Keep a suggestion that staff changed; a confirmed suggestion or an empty text keeps nothing."""
    text = text_redact(text)
    if not text or not suggested_code or not final_code or suggested_code == final_code:
        return None
    return Correction.objects.create(
        text=text,
        suggested_code=suggested_code,
        final_code=final_code,
        urgency=urgency,
        at=at or timezone.now(),
    )
