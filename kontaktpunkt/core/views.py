from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kontaktpunkt.accounts.permissions import Perm, roles_of, user_has_perm
from kontaktpunkt.core.selectors import outbox_counts
from kontaktpunkt.core.types import AuthedRequest


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit").order_by("unit__name")
    context = {
        "memberships": memberships,
        "roles": roles_of(request.user),
        # Administrators see the outbox: what waits and what failed for good (the dead letters).
        "outbox": outbox_counts() if user_has_perm(request.user, Perm.ADMIN_CONFIGURE) else None,
    }
    return render(request, "core/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
