"""What the citizens' side keeps beside a concern: the form submission it came from, and the
moderation decision about the public map."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.intake.models import Concern


class PublicSubmission(models.Model):
    """One sent reporting form: its idempotency key (one per form render) and the concern it made.

    Written in the same transaction as the concern, so that a second submit of the same form finds it.
    """

    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    concern = models.OneToOneField(
        Concern, on_delete=models.CASCADE, related_name="public_submission"
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("public form submission")
        verbose_name_plural = _("public form submissions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.concern.reference


class Decision(models.TextChoices):
    RELEASED = "released", _("released")
    WITHHELD = "withheld", _("withheld")


class Moderation(models.Model):
    """A person's decision whether a concern (and its photos) is shown on the public map."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="moderation")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.concern.reference}: {self.get_decision_display()}"
