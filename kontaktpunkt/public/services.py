"""Writes of the citizens' side: a report from the public form, and the moderation of the public map."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.attachments import CleanUpload
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.mail import mail_enqueue, mail_render
from kontaktpunkt.core.ratelimit import RateLimitResult, rate_limit_bucket, rate_limit_hit
from kontaktpunkt.intake.models import Concern, EventKind, ReporterContact
from kontaktpunkt.intake.services import ConcernInput, concern_log, concern_submit, concern_update
from kontaktpunkt.public.models import Decision, Moderation, PublicSubmission
from kontaktpunkt.public.selectors import submission_concern

RATE_WINDOW_S = 3600


# --------------------------------------------------------------------------- rate limits


def report_limit_per_address(*, client: str) -> RateLimitResult | None:
    """Count one sent form for a client address; the result when it is over the limit."""
    limit = settings.KP_PUBLIC_REPORTS_PER_ADDRESS
    return _over(rate_limit_bucket("public-report-address", client), limit, RATE_WINDOW_S)


def report_limit_per_email(*, email: str) -> RateLimitResult | None:
    """Count one valid report for an e-mail address; the result when it is over the limit."""
    limit = settings.KP_PUBLIC_REPORTS_PER_EMAIL
    return _over(rate_limit_bucket("public-report-email", email), limit, RATE_WINDOW_S)


def suggestion_limit_per_address(*, client: str) -> RateLimitResult | None:
    """Count one address-search request for a client address; the result when it is over."""
    limit = settings.KP_PUBLIC_SUGGESTIONS_PER_MINUTE
    return _over(rate_limit_bucket("public-suggest-address", client), limit, 60)


def _over(bucket: str, limit: int, window_s: int) -> RateLimitResult | None:
    result = rate_limit_hit(bucket=bucket, limit=limit, window_s=window_s)
    return None if result.allowed else result


# --------------------------------------------------------------------------- the report


def public_report_submit(*, key: str, data: ConcernInput, photos: Sequence[CleanUpload]) -> Concern:
    """Record a report of the public form once per idempotency `key`, with its photos (not public).

    The concern, the submission row, the photos and the acknowledgement mail are written in one
    transaction; a second call with the same key (also a concurrent one) returns the first concern.
    Photo files stored before a failure are removed again.
    """
    known = submission_concern(key=key)
    if known is not None:
        return known
    stored: list[str] = []
    try:
        with transaction.atomic():
            concern = concern_submit(data=data, by=None)
            PublicSubmission.objects.create(key=key, concern=concern)
            for photo in photos:
                stored.append(_photo_store(concern, photo))
            if photos:
                names = [photo.original_name for photo in photos]
                concern_log(
                    concern=concern,
                    kind=EventKind.CHANGED,
                    by=None,
                    changes={"attachment": [None, ", ".join(names)]},
                )
            _acknowledge(concern)
    except IntegrityError:
        _remove(stored)
        known = submission_concern(key=key)
        if known is None:
            raise
        return known
    except BaseException:
        _remove(stored)
        raise
    return concern


def _photo_store(concern: Concern, photo: CleanUpload) -> str:
    """Store a checked photo under a random name, not public; return the stored file's name."""
    attachment = Attachment(
        concern=concern,
        original_name=photo.original_name,
        content_type=photo.content_type,
        size=len(photo.content),
        sha256=photo.sha256,
        is_public=False,
    )
    name = f"{secrets.token_hex(16)}.{photo.format.extension}"
    attachment.file.save(name, ContentFile(photo.content), save=False)
    try:
        attachment.save()
    except BaseException:
        default_storage.delete(attachment.file.name)
        raise
    return str(attachment.file.name)


def _remove(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _acknowledge(concern: Concern) -> None:
    """Enqueue the acknowledgement with the status-page link, only with an e-mail and consent."""
    contact = ReporterContact.objects.filter(concern=concern).first()
    if contact is None or not contact.email or not contact.consent:
        return
    context = {
        "concern": concern,
        "category": concern.category.name if concern.category else "",
        "status_url": status_url(concern),
        "name": contact.name,
    }
    text, html = mail_render("public/emails/acknowledgement", context)
    mail_enqueue(
        key=f"public-ack-{concern.reference}",
        to=[contact.email],
        subject=_("Your report %(reference)s has been received") % {"reference": concern.reference},
        text=text,
        html=html,
        reference=concern.reference,
    )


def status_url(concern: Concern) -> str:
    """The absolute address of the concern's status page (its secret link)."""
    return settings.KP_BASE_URL + reverse("public:status", args=[concern.public_token])


# --------------------------------------------------------------------------- moderation


def concern_release(*, concern: Concern, by: User) -> Concern:
    """Show a concern and its photos on the public map; the decision is kept and on the timeline."""
    with transaction.atomic():
        current = concern_update(concern=concern, changes={"is_public": True}, by=by)
        Attachment.objects.filter(concern=current, content_type__startswith="image/").update(
            is_public=True
        )
        _decide(current, Decision.RELEASED, by)
    return current


def concern_withhold(*, concern: Concern, by: User) -> Concern:
    """Keep a concern (and its photos) off the public map; the decision is kept and on the timeline."""
    with transaction.atomic():
        current = concern_update(concern=concern, changes={"is_public": False}, by=by)
        Attachment.objects.filter(concern=current).update(is_public=False)
        concern_log(
            concern=current,
            kind=EventKind.CHANGED,
            by=by,
            changes={"moderation": [None, Decision.WITHHELD.value]},
        )
        _decide(current, Decision.WITHHELD, by)
    return current


def _decide(concern: Concern, decision: Decision, by: User) -> None:
    Moderation.objects.update_or_create(
        concern=concern,
        defaults={"decision": decision, "decided_by": by, "decided_at": timezone.now()},
    )
