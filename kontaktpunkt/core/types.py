from __future__ import annotations

from django.http import HttpRequest

from kontaktpunkt.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (views behind login_required)."""

    user: User
