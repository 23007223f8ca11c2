"""Writes on people, units and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from kontaktpunkt.accounts.models import Membership, Role, Unit, User
from kontaktpunkt.accounts.permissions import memberships_forget


def user_create(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    memberships: Iterable[tuple[str, Role]] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a person with their roles in units (`memberships` as pairs of unit slug and role)."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            display_name=display_name,
            is_staff=is_staff or is_superuser,
            is_superuser=is_superuser,
        )
        for unit_slug, role in memberships:
            membership_grant(user=user, unit=Unit.objects.get(slug=unit_slug), role=role)
    return user


def membership_grant(*, user: User, unit: Unit, role: Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    memberships_forget(user)
    return membership


def membership_revoke(*, user: User, unit: Unit, role: Role) -> bool:
    deleted, _ = Membership.objects.filter(user=user, unit=unit, role=role).delete()
    memberships_forget(user)
    return deleted > 0
