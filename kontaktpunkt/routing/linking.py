"""Linking instead of forwarding: a concern the partner knows already under its own number.

A reporter who already reported the matter on the partner's portal (maak-et.de) gives its number
(`Concern.partner_reference`). Sending it again would make a second request there; instead the
forward is recorded as sent under that number, so that the poller (services.forwards_poll) asks the
partner about it and brings its status back like for any forward.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontaktpunkt.intake.models import Concern, EventKind
from kontaktpunkt.intake.services import concern_log
from kontaktpunkt.routing.models import Forward, ForwardState, ForwardTarget


def forward_link(*, concern: Concern, target: ForwardTarget) -> Forward | None:
    """The forward of a concern the partner knows already, as sent under the partner's number;
    None when the concern has a forward to that target already."""
    now = timezone.now()
    with transaction.atomic():
        forward, new = Forward.objects.get_or_create(
            concern=concern,
            target=target,
            defaults={
                "state": ForwardState.SENT,
                "partner_request_id": concern.partner_reference,
                "sent_at": now,
            },
        )
        if not new:
            return None
        text = _("Linked to the request %(id)s that %(unit)s already has; not sent again.") % {
            "id": concern.partner_reference,
            "unit": target.unit,
        }
        concern_log(
            concern=concern,
            kind=EventKind.FORWARDED,
            by=None,
            changes={
                "forward": [None, {"unit": str(target.unit), "id": concern.partner_reference}]
            },
            text=text,
        )
    return forward
