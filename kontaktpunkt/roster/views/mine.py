"""One's own duties: the published shifts of the coming weeks and the personal calendar link."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.roster.selectors import duties_published, staff_of_user
from kontaktpunkt.roster.services import calendar_token_renew

WEEKS_SHOWN = 6


@perm_required(Perm.ROSTER_VIEW_OWN)
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    staff = staff_of_user(request.user)
    today = timezone.localdate()
    context = {
        "staff": staff,
        "duties": (
            duties_published(staff=staff, first=today, last=today + timedelta(weeks=WEEKS_SHOWN))
            if staff is not None
            else []
        ),
        "calendar_url": (
            request.build_absolute_uri(reverse("roster:calendar", args=[staff.calendar_token]))
            if staff is not None
            else ""
        ),
        "weeks": WEEKS_SHOWN,
    }
    return render(request, "roster/mine.html", context)


@perm_required(Perm.ROSTER_VIEW_OWN)
@require_POST
def calendar_renew(request: AuthedRequest) -> HttpResponse:
    staff = staff_of_user(request.user)
    if staff is None:
        messages.error(request, _("You are not on any duty roster."))
    else:
        calendar_token_renew(staff=staff)
        messages.success(request, _("Your calendar has a new link; the old one no longer works."))
    return redirect("roster:mine")
