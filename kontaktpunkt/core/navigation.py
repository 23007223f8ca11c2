"""The main navigation: what a person sees follows from what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, user_has_perm


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool


_ITEMS: list[tuple[str | Promise, str, Perm | None]] = [
    (_("Record"), "intake:desk", Perm.CONCERN_RECORD),
    (_("Queues"), "cases:queue", Perm.CONCERN_VIEW_UNIT),
    (_("Map"), "cases:map", Perm.CONCERN_VIEW_UNIT),
    (_("Duty roster"), "roster:index", Perm.ROSTER_VIEW),
    (_("My duties"), "roster:mine", Perm.ROSTER_VIEW_OWN),
    (_("Administration"), "admin:index", Perm.ADMIN_CONFIGURE),
]


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    items = []
    for label, name, perm in _ITEMS:
        if perm is not None and not user_has_perm(user, perm):
            continue
        if name == "admin:index" and not user.is_staff:
            continue
        url = reverse(name)
        items.append(NavItem(label=label, url=url, active=request.path.startswith(url)))
    return items
