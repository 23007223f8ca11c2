"""Citizen notifications: the acknowledgement and the status mails, through the outbox (mail.send).

Only with an e-mail address and consent; status mails only while the reporter wants updates (the
opt-out link in each mail turns that off). The web form sends its own acknowledgement (public app);
every other channel gets it here. Each mail has a stable idempotency key, so a retried transaction or
job never sends it twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kontaktpunkt.core.mail import mail_enqueue, mail_render
from kontaktpunkt.intake.models import (
    OPEN_STATUSES,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    ReporterContact,
    Status,
)


def status_url(concern: Concern) -> str:
    return settings.KP_BASE_URL + reverse("public:status", args=[concern.public_token])


def unsubscribe_url(concern: Concern) -> str:
    return settings.KP_BASE_URL + reverse("routing:unsubscribe", args=[concern.public_token])


def acknowledgements_enqueue(concerns: Sequence[Concern]) -> int:
    """The acknowledgement for new concerns of every channel but the web form; how many."""
    wanted = [c for c in concerns if c.channel != Channel.WEB]
    contacts = {
        contact.concern_id: contact
        for contact in ReporterContact.objects.filter(concern__in=wanted, consent=True).exclude(
            email=""
        )
    }
    for concern in wanted:
        contact = contacts.get(concern.pk)
        if contact is None:
            continue
        context = {
            "concern": concern,
            "category": concern.category.name if concern.category else "",
            "status_url": status_url(concern),
            "name": contact.name,
        }
        text, html = mail_render("public/emails/acknowledgement", context)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your report %(reference)s has been received") % {
                "reference": concern.reference
            }
        mail_enqueue(
            key=f"ack-{concern.reference}",
            to=[contact.email],
            subject=subject,
            text=text,
            html=html,
            reference=concern.reference,
        )
    return len(contacts)


# Statuses a reporter hears about; the others are steps of internal handling.
NOTIFY_STATUSES = frozenset(
    {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE}
)


def status_mail_enqueue(*, concern: Concern, version: int) -> bool:
    """Tell the reporter the new status with the latest public reply; False when nobody is told."""
    if concern.status not in NOTIFY_STATUSES:
        return False
    contact = (
        ReporterContact.objects.filter(concern=concern, consent=True, wants_updates=True)
        .exclude(email="")
        .first()
    )
    if contact is None:
        return False
    reply = (
        ConcernEvent.objects.filter(concern=concern, kind=EventKind.REPLY, is_public=True)
        .order_by("-at", "-id")
        .values_list("text", flat=True)
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        status = str(Status(concern.status).label)
        context = {
            "concern": concern,
            "name": contact.name,
            "status": status,
            "closed": concern.status not in OPEN_STATUSES,
            "reply": reply or "",
            "status_url": status_url(concern),
            "unsubscribe_url": unsubscribe_url(concern),
        }
        subject = _("Your report %(reference)s: %(status)s") % {
            "reference": concern.reference,
            "status": status,
        }
    text, html = mail_render("routing/emails/status", context)
    mail_enqueue(
        key=f"status-{concern.reference}-v{version}",
        to=[contact.email],
        subject=subject,
        text=text,
        html=html,
        reference=concern.reference,
        headers={"List-Unsubscribe": f"<{unsubscribe_url(concern)}>"},
    )
    return True
