"""Who acts on a concern: routing rules as data, forwarding targets of partners, and the forwards sent.

A rule matches a concern by category (or a whole field), place (district or quarter, or a zone) and
time (weekdays, hours, months); the active rule with the lowest order wins, else the category's default
unit. A partner unit with a forwarding target gets each of its concerns sent there by the worker.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.geo.models import Area, Zone
from kontaktpunkt.intake.models import Category, Concern, Field


class RoutingRule(models.Model):
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(
        _("order"), default=100, help_text=_("Rules with a lower number are checked first.")
    )
    active = models.BooleanField(_("active"), default=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every category (of the field, if one is chosen)."),
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("district or quarter"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), on_delete=models.CASCADE, null=True, blank=True
    )
    weekdays = models.JSONField(
        _("weekdays"),
        default=list,
        blank=True,
        help_text=_("Numbers 0 (Monday) to 6 (Sunday); empty: every day."),
    )
    time_from = models.TimeField(_("from"), null=True, blank=True)
    time_until = models.TimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("A window that ends before it starts runs over midnight."),
    )
    months = models.JSONField(
        _("months"), default=list, blank=True, help_text=_("Numbers 1 to 12; empty: all year.")
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    OPEN311 = "open311", _("Open311 (GeoReport v2)")
    EMAIL = "email", _("e-mail")


class ForwardTarget(models.Model):
    """Where a partner unit receives its concerns."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="forward_target"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    active = models.BooleanField(_("active"), default=True)
    endpoint = models.URLField(
        _("Open311 endpoint"), blank=True, help_text=_("e.g. https://example.org/georeport/v2/")
    )
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    jurisdiction_id = models.CharField(_("jurisdiction_id"), max_length=100, blank=True)
    service_codes = models.JSONField(
        _("service codes"),
        default=dict,
        blank=True,
        help_text=_("Our category key → the partner's service_code."),
    )
    default_service_code = models.CharField(_("default service code"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("forwarding target")
        verbose_name_plural = _("forwarding targets")

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_kind_display()}"


class ForwardState(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", _("sent")
    LINKED = "linked", _("linked to an existing request")
    FAILED = "failed", _("failed")


class Forward(models.Model):
    """A concern handed to a partner: what was sent, and what the partner reports back."""

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.CASCADE, related_name="forwards"
    )
    target = models.ForeignKey(
        ForwardTarget, verbose_name=_("target"), on_delete=models.PROTECT, related_name="forwards"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ForwardState.choices, default=ForwardState.PENDING
    )
    partner_request_id = models.CharField(_("partner's request id"), max_length=100, blank=True)
    partner_status = models.CharField(_("partner's status"), max_length=20, blank=True)
    partner_status_notes = models.TextField(_("partner's status notes"), blank=True)
    partner_updated_at = models.DateTimeField(_("partner's last change"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    polled_at = models.DateTimeField(_("last asked"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Sent as the Idempotency-Key of every attempt: random, so never the same for two forwards, even
    # across installations or a database restored from a backup.
    key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("forward")
        verbose_name_plural = _("forwards")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "target"], name="forward_once_per_target")
        ]
        # a citizen's partner number is looked up among the forwards (duplicates, linking)
        indexes = [models.Index(fields=["partner_request_id"], name="forward_partner_id_idx")]

    def __str__(self) -> str:
        return f"{self.concern} → {self.target.unit}"

    @property
    def idempotency_key(self) -> str:
        return f"kontaktpunkt-forward-{self.key}"


class RoutingDecision(models.Model):
    """Why a concern went where it went: the rule that matched, or the category's default."""

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.CASCADE, related_name="routings"
    )
    rule = models.ForeignKey(
        RoutingRule, verbose_name=_("rule"), on_delete=models.SET_NULL, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("routing decision")
        verbose_name_plural = _("routing decisions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.reason
