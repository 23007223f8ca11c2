"""What the e-mail intake did with each mail of the mailbox, so that no mail is taken in twice.

A row is written in the same transaction as the concern or note a mail became; the mail is flagged on
the IMAP server only after that commit. A crash in between leaves the mail unflagged: the next round
finds its Message-ID here and only flags it. The row holds no personal data (no sender, no subject,
no text): the mail itself stays in the mailbox, where its Message-ID finds it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    IMPORTED = "imported", _("new concern")
    REPLY = "reply", _("reply to a concern")
    IGNORED = "ignored", _("ignored")
    FAILED = "failed", _("failed")


class IgnoreReason(models.TextChoices):
    AUTO_REPLY = "auto_reply", _("automatic reply")
    BOUNCE = "bounce", _("delivery report")
    LOOP = "loop", _("mail loop")
    BULK = "bulk", _("bulk or list mail")
    SPAM = "spam", _("marked as spam")


class ImportedMail(models.Model):
    """One mail of the mailbox and what became of it."""

    # The mail's Message-ID, or "sha256:<digest of the message>" for a mail without a usable one.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    kind = models.CharField(_("result"), max_length=10, choices=MailKind.choices)
    reason = models.CharField(
        _("reason"), max_length=12, choices=IgnoreReason.choices, blank=True, default=""
    )
    detail = models.CharField(
        _("detail"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The header that decided, for an ignored mail."),
    )
    concern = models.ForeignKey(
        "intake.Concern",
        verbose_name=_("concern"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_mails",
    )
    attachments_kept = models.PositiveSmallIntegerField(_("attachments kept"), default=0)
    attachments_refused = models.PositiveSmallIntegerField(_("attachments refused"), default=0)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    at = models.DateTimeField(_("processed"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        verbose_name = _("imported e-mail")
        verbose_name_plural = _("imported e-mails")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at"], name="mailin_imported_at_idx")]

    def __str__(self) -> str:
        return self.message_id
