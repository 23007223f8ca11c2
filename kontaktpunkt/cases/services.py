"""Writes of case handling: status changes, assignment, category, attachments, escalation.

Every function locks the concern, refuses a change based on a stale version (ConflictError, HTTP 409)
or one that breaks a rule (ChangeRefused, HTTP 400), and records its timeline event in the same
transaction. Outgoing mail is only enqueued here (the outbox); the worker sends it.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kontaktpunkt.accounts.models import ContactChannelKind, Role, Unit, User
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.accounts.selectors import unit_members_with_perm
from kontaktpunkt.cases import workflow
from kontaktpunkt.cases.access import concern_can_assign
from kontaktpunkt.cases.attachments import CleanUpload
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.core.mail import mail_enqueue, mail_render
from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern, EventKind, Status
from kontaktpunkt.intake.services import (
    ChangeRefused,
    concern_escalate,
    concern_log,
    concern_update,
)

# Roles whose holders in the responsible unit are told about an overdue concern.
LEAD_ROLES = frozenset({Role.KOD_LEAD})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def concern_transition(
    *, concern: Concern, to: Status, by: User, expected_version: int | None
) -> Concern:
    """Change the status along the workflow (workflow.TRANSITIONS)."""
    with transaction.atomic():
        current = _locked(concern, expected_version)
        may_dispatch = concern_can_assign(user=by, concern=current)
        if not workflow.transition_allowed(current.status, to, may_dispatch=may_dispatch):
            raise ChangeRefused(
                _("A concern that is %(current)s cannot be set to %(target)s.")
                % {"current": current.get_status_display(), "target": Status(to).label}
            )
        updated = concern_update(
            concern=current, changes={"status": to}, by=by, expected_version=expected_version
        )
        if to in OPEN_STATUSES and (updated.resolved_at or updated.closed_at):
            # Reopened: the concern is no longer resolved or closed.
            Concern.objects.filter(pk=updated.pk).update(resolved_at=None, closed_at=None)
            updated.resolved_at = updated.closed_at = None
    return updated


def concern_assign(
    *,
    concern: Concern,
    unit: Unit,
    assignee: User | None,
    by: User,
    expected_version: int | None,
) -> Concern:
    """Hand the concern to a unit, and optionally to an active member of that unit."""
    with transaction.atomic():
        current = _locked(concern, expected_version)
        if not workflow.can_be_assigned(current.status):
            raise ChangeRefused(
                _("A concern that is %(status)s cannot be assigned.")
                % {"status": current.get_status_display()}
            )
        if not unit.active:
            raise ChangeRefused(_("This unit is no longer active."))
        if (
            assignee is not None
            and not unit_members_with_perm(unit=unit, perm=Perm.CONCERN_EDIT)
            .filter(pk=assignee.pk)
            .exists()
        ):
            raise ChangeRefused(
                _("%(person)s is not an active member of %(unit)s.")
                % {"person": assignee, "unit": unit}
            )
        changes = {
            "responsible_unit": unit,
            "assignee": assignee,
            "status": workflow.status_after_assign(current.status),
        }
        return concern_update(
            concern=current, changes=changes, by=by, expected_version=expected_version
        )


def concern_categorise(
    *, concern: Concern, category: Category, by: User, expected_version: int | None
) -> Concern:
    """Put an open concern under another category (triage): it is routed again for it, and a
    category other than the classifier's proposal for the text is kept as a correction (both in
    intake.services.concern_update)."""
    with transaction.atomic():
        current = _locked(concern, expected_version)
        if not workflow.can_be_categorised(current.status):
            raise ChangeRefused(
                _("A concern that is %(status)s cannot be put under another category.")
                % {"status": current.get_status_display()}
            )
        if not category.active:
            raise ChangeRefused(_("This category is no longer active."))
        return concern_update(
            concern=current,
            changes={"category": category},
            by=by,
            expected_version=expected_version,
        )


def attachment_add(
    *, concern: Concern, upload: CleanUpload, by: User | None, expected_version: int | None
) -> Attachment:
    """Store a checked upload under a random name and record it on the timeline.

    When anything fails, the stored file is removed again and nothing else changes.
    """
    attachment = Attachment(
        concern=concern,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=upload.sha256,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            concern_log(
                concern=concern,
                kind=EventKind.CHANGED,
                by=by,
                changes={"attachment": [None, upload.original_name]},
                expected_version=expected_version,
            )
            name = f"{secrets.token_hex(16)}.{upload.format.extension}"
            attachment.file.save(name, ContentFile(upload.content), save=False)
            attachment.save()
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _locked(concern: Concern, expected_version: int | None) -> Concern:
    current = Concern.objects.select_for_update().get(pk=concern.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _("This concern was changed by someone else in the meantime."),
            current_version=current.version,
        )
    return current


def reply_text_fill(*, body: str, concern: Concern, today: date | None = None) -> str:
    """A reply template's text with {reference}, {category}, {status}, {unit} and {date} filled in.

    Unknown placeholders and stray braces stay as they are.
    """
    day = today or timezone.localdate()
    values = {
        "reference": concern.reference,
        "category": concern.category.name if concern.category else "",
        "status": str(concern.get_status_display()),
        "unit": concern.responsible_unit.name if concern.responsible_unit else "",
        "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def concerns_escalate_overdue(*, now: datetime | None = None, limit: int = 500) -> list[Concern]:
    """Escalate every open concern whose deadline has passed and that was not escalated yet.

    One transaction per concern: the flag, the `escalated` event and the mail to the unit's leads.
    """
    moment = now or timezone.now()
    due = (
        Concern.objects.filter(
            status__in=OPEN_STATUSES, due_at__lt=moment, escalated_at__isnull=True
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    escalated = []
    for pk in list(due):
        concern = concern_escalate_one(concern_id=pk, now=moment)
        if concern is not None:
            escalated.append(concern)
    return escalated


def concern_escalate_one(*, concern_id: int, now: datetime) -> Concern | None:
    """Escalate one overdue concern and enqueue the mail to its unit's leads, all or nothing."""
    with transaction.atomic():
        concern = Concern.objects.select_related("category", "responsible_unit").get(pk=concern_id)
        recipients = escalation_recipients(concern.responsible_unit)
        event = concern_escalate(concern=concern, now=now, notified=recipients)
        if event is None:
            return None
        concern.refresh_from_db()
        if recipients:
            _escalation_mail(concern, recipients, version=event.version)
    return concern


def escalation_recipients(unit: Unit | None) -> list[str]:
    """The e-mail addresses of the unit's leads; without any, the unit's primary e-mail channel."""
    if unit is None:
        return []
    leads = (
        User.objects.filter(
            is_active=True, memberships__unit=unit, memberships__role__in=LEAD_ROLES
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses = sorted(set(leads))
    if addresses:
        return addresses
    channel = (
        unit.contact_channels.filter(kind=ContactChannelKind.EMAIL)
        .order_by("-is_primary", "pk")
        .first()
    )
    return [channel.value] if channel is not None else []


def _escalation_mail(concern: Concern, recipients: list[str], *, version: int) -> None:
    due_at = timezone.localtime(concern.due_at) if concern.due_at else None
    context = {
        "concern": concern,
        "due_at": due_at,
        "url": settings.KP_BASE_URL + reverse("cases:detail", args=[concern.reference]),
    }
    text, html = mail_render("cases/emails/escalation", context)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue: concern %(reference)s (%(category)s)") % {
            "reference": concern.reference,
            "category": concern.category.name if concern.category else "-",
        }
    mail_enqueue(
        key=f"escalation.{concern.reference}.v{version}",
        to=recipients,
        subject=subject,
        text=text,
        html=html,
        reference=concern.reference,
    )
