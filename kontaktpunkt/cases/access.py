"""Who may see and do what with one concern. Built on accounts.permissions, the one place of the rules.

Views call these; an object outside a person's reach answers 404, never 403, so that its existence
is not revealed.
"""

from __future__ import annotations

from django.http import Http404

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, user_has_perm
from kontaktpunkt.intake.models import Concern
from kontaktpunkt.intake.selectors import concerns_visible_to


def concern_get_visible(*, user: User, reference: str) -> Concern:
    """The concern with `reference` if `user` may see it; Http404 otherwise."""
    concern = concerns_visible_to(user).filter(reference=reference).first()
    if concern is None:
        raise Http404("Anliegen nicht gefunden.")
    return concern


def concern_can_edit(*, user: User, concern: Concern) -> bool:
    """Work the concern: notes, replies, status, attachments."""
    if concern.assignee_id is not None and concern.assignee_id == user.pk:
        return user_has_perm(user, Perm.CONCERN_EDIT)
    if user_has_perm(user, Perm.CONCERN_ASSIGN):
        return True
    return concern.responsible_unit_id is not None and user_has_perm(
        user, Perm.CONCERN_EDIT, unit_id=concern.responsible_unit_id
    )


def concern_can_assign(*, user: User, concern: Concern) -> bool:
    """Hand the concern to a unit or a person, merge duplicates."""
    return user_has_perm(user, Perm.CONCERN_ASSIGN)
