"""Reads on people and units."""

from __future__ import annotations

from django.db.models import QuerySet

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.accounts.permissions import ROLE_PERMISSIONS, Perm


def unit_members_with_perm(*, unit: Unit | None, perm: Perm) -> QuerySet[User]:
    """The active people who hold `perm` by a role in `unit` (e.g. who can work its concerns)."""
    if unit is None:
        return User.objects.none()
    roles = [role.value for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    return (
        User.objects.filter(is_active=True, memberships__unit=unit, memberships__role__in=roles)
        .distinct()
        .order_by("display_name", "username")
    )
