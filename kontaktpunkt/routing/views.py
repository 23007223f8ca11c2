"""The opt-out link of the status mails: no account, the concern's status-page secret identifies it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kontaktpunkt.routing.selectors import concern_for_updates
from kontaktpunkt.routing.services import updates_unsubscribe


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links; they must not unsubscribe anyone), POST turns mails off."""
    concern = concern_for_updates(token=token)
    if concern is None:
        return render(request, "routing/unsubscribe.html", {"unknown": True}, status=404)
    done = False
    if request.method == "POST":
        updates_unsubscribe(concern=concern)
        done = True
    response = render(request, "routing/unsubscribe.html", {"concern": concern, "done": done})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
