"""Links in our mails, used without an account: the opt-out of the status mails (the concern's
status-page secret identifies it) and a partner's answer to a forward (a signed link per forward)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kontaktpunkt.routing.forms import PartnerAnswerForm
from kontaktpunkt.routing.selectors import concern_for_updates
from kontaktpunkt.routing.services import (
    forward_answer,
    forward_by_answer_link,
    updates_unsubscribe,
)


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


@require_http_methods(["GET", "POST"])
def partner_answer(request: HttpRequest, key: uuid.UUID, signature: str) -> HttpResponse:
    """The partner who received a forward by e-mail says how it goes; 404 for a link not ours."""
    forward = forward_by_answer_link(key=key, signature=signature)
    if forward is None:
        return render(request, "routing/partner_answer.html", {"unknown": True}, status=404)
    form = PartnerAnswerForm(request.POST or None)
    done = False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            forward_answer(
                forward=forward,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            done = True
        else:
            status = 400
    context = {"forward": forward, "concern": forward.concern, "form": form, "done": done}
    response = render(request, "routing/partner_answer.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
