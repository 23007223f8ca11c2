"""Django's model permissions (used by the admin) follow from our roles, not from per-user grants."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, user_has_perm

# Models that hold concerns and personal data: configuration rights do not reach them.
PERSONAL_DATA_MODELS = frozenset(
    {"concern", "concernevent", "reportercontact", "attachment", "savedfilter"}
)


class RoleBackend(BaseBackend):
    """An administrator (role admin, staff flag set) may manage the configuration in the admin."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        model = perm.rpartition("_")[2]
        return _is_configuring_admin(user_obj) and model not in PERSONAL_DATA_MODELS

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return _is_configuring_admin(user_obj)


def _is_configuring_admin(user: Any) -> bool:
    return isinstance(user, User) and user.is_staff and user_has_perm(user, Perm.ADMIN_CONFIGURE)
