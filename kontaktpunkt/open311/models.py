"""API keys of Open311 clients: the only model of the Open311 adapter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key issued to one client; only its SHA-256 hash and a short visible prefix are stored."""

    client_name = models.CharField(_("client"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=60,
        help_text=_("Service requests this client may create per minute."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["client_name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.client_name} ({self.prefix}…)"


class Submission(models.Model):
    """A service request accepted by the API and waiting for intake by the worker (the Open311 inbox).

    The POST answers as soon as this row is stored: the reference is reserved in the same statement,
    so the client gets its service_request_id at once; the worker turns the row into a concern (place,
    deadline, timeline, routing) under that reference. The reporter's contact leaves the payload when
    the concern exists.
    """

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    # No database constraint: the accepting statement itself checks that the key exists and is
    # active, and keys are never deleted (the admin only revokes). A constraint would make every
    # accepted request lock the key's row (FOR KEY SHARE), one row that all requests of a client share.
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("API key"),
        on_delete=models.PROTECT,
        related_name="submissions",
        db_constraint=False,
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # The client's Idempotency-Key header: a repeated POST with the same key gets the same reference.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True, default="")
    payload = models.JSONField(_("payload"), default=dict)
    concern = models.OneToOneField(
        "intake.Concern",
        verbose_name=_("concern"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open311_submission",
    )
    processed_at = models.DateTimeField(_("taken in"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(processed_at__isnull=True),
                name="open311_submission_pending",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="open311_submission_idempotent",
            )
        ]

    def __str__(self) -> str:
        return self.reference
