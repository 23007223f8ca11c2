"""View decorators that apply the rules of permissions.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from kontaktpunkt.accounts.permissions import Perm, user_has_perm

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def perm_required(perm: Perm) -> Callable[[ViewFunc], ViewFunc]:
    """Signed in and holding `perm` somewhere; otherwise the login page, or 403 with a German text."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_has_perm(request.user, perm):  # type: ignore[arg-type]
                return HttpResponseForbidden(
                    "Sie haben keine Berechtigung für diese Seite.".encode(),
                    content_type="text/plain; charset=utf-8",
                )
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
