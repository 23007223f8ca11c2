"""Reads of routing."""

from __future__ import annotations

from kontaktpunkt.intake.models import Concern
from kontaktpunkt.routing.models import RoutingDecision


def concern_for_updates(*, token: str) -> Concern | None:
    """The concern whose status-page secret is `token` (the opt-out link carries it)."""
    if not token or len(token) > 64:
        return None
    return Concern.objects.filter(public_token=token).first()


def routing_latest(*, concern: Concern) -> RoutingDecision | None:
    """Why the concern went where it went, the latest decision."""
    return (
        RoutingDecision.objects.filter(concern=concern)
        .select_related("rule", "unit")
        .order_by("-at", "-id")
        .first()
    )
