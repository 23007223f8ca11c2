"""Corrections: a suggestion of the classifier that staff changed, kept to extend the corpus.

No personal data: no concern, no person, only the text (with e-mail addresses and phone numbers
masked, see corrections.text_redact), the category codes, the urgency and the time.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    text = models.TextField(_("text"))
    suggested_code = models.SlugField(_("suggested category"), max_length=60)
    final_code = models.SlugField(_("final category"), max_length=60)
    urgency = models.PositiveSmallIntegerField(_("urgency"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="correction_at_idx")]

    def __str__(self) -> str:
        return f"{self.suggested_code} → {self.final_code}"
