"""Reads of the citizens' side. Nothing here returns reporter data or internal notes."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.intake.models import (
    Concern,
    ConcernEvent,
    EventKind,
    Status,
)

# Points on the public map are snapped to a grid of this many degrees (about 55 m north-south,
# 35 m east-west in central Europe): a released concern shows the block, not the doorway.
MAP_GRID_DEG = 0.0005
MAP_LIMIT = 2000
MAP_TEXT_MAX = 300
HIDDEN_STATUSES = (Status.REJECTED, Status.DUPLICATE)
PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png|webp)$")


def submission_concern(*, key: str) -> Concern | None:
    """The concern recorded for a public form's idempotency key, if any."""
    return Concern.objects.filter(public_submission__key=key).first()


def concern_by_token(*, token: str) -> Concern | None:
    """The concern whose status-page secret is `token`."""
    if not token or len(token) > 64:
        return None
    return (
        Concern.objects.select_related("category", "quarter", "district")
        .filter(public_token=token)
        .first()
    )


def status_replies(*, concern: Concern) -> QuerySet[ConcernEvent]:
    """The public replies of a concern, oldest first (never internal notes)."""
    return concern.events.filter(is_public=True, kind=EventKind.REPLY).order_by("at", "id")


def status_place(concern: Concern) -> str:
    """What the status page says about the place: the address only for public categories."""
    if concern.category is not None and concern.category.is_public and concern.address:
        return concern.address
    area = concern.quarter or concern.district
    return area.name if area else ""


def public_photos(*, concern: Concern) -> list[Attachment]:
    """The released photos of a released concern of a public category."""
    if not concern_is_on_map(concern):
        return []
    return list(concern.attachments.filter(is_public=True, content_type__startswith="image/"))


def concern_is_on_map(concern: Concern) -> bool:
    return bool(
        concern.is_public
        and concern.category is not None
        and concern.category.is_public
        and concern.status not in HIDDEN_STATUSES
    )


def map_concerns(*, bbox: tuple[float, float, float, float] | None = None) -> QuerySet[Concern]:
    """Concerns released by a person, of public categories, with a point; newest first."""
    concerns = (
        Concern.objects.filter(
            is_public=True,
            category__is_public=True,
            lat__isnull=False,
            lon__isnull=False,
        )
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    is_public=True, content_type__startswith="image/"
                ),
                to_attr="public_photos",
            )
        )
        .order_by("-reported_at", "-id")
    )
    if bbox is not None:
        west, south, east, north = bbox
        concerns = concerns.filter(lat__range=(south, north), lon__range=(west, east))
    return concerns


def coarse(value: float) -> float:
    """A coordinate snapped to the public map's grid."""
    return round(round(value / MAP_GRID_DEG) * MAP_GRID_DEG, 6)


def map_features(concerns: QuerySet[Concern], *, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of released concerns with coarse points and no personal data."""
    rows = list(concerns[:limit])
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [coarse(c.lon or 0.0), coarse(c.lat or 0.0)],
            },
            "properties": _map_properties(c),
        }
        for c in rows
    ]
    return {"type": "FeatureCollection", "features": features, "limit": limit}


def _map_properties(concern: Concern) -> dict[str, Any]:
    text = concern.description
    if len(text) > MAP_TEXT_MAX:
        text = text[: MAP_TEXT_MAX - 1].rstrip() + "…"
    photos = getattr(concern, "public_photos", [])
    return {
        "category": concern.category.name if concern.category else "",
        "field": concern.category.field if concern.category else "",
        "status": concern.status,
        "status_label": str(concern.get_status_display()),
        "reported_label": formats.date_format(
            timezone.localtime(concern.reported_at), "SHORT_DATE_FORMAT"
        ),
        "text": text,
        "photos": [photo_url(p) for p in photos],
    }


def photo_name(attachment: Attachment) -> str:
    return str(attachment.file.name).rsplit("/", 1)[-1]


def photo_url(attachment: Attachment) -> str:
    return reverse("public:photo", args=[photo_name(attachment)])


def released_photo(*, name: str) -> Attachment | None:
    """A photo by its random name, only when it and its concern are released."""
    if not PHOTO_NAME.match(name):
        return None
    photo = (
        Attachment.objects.select_related("concern__category")
        .filter(file__endswith=f"/{name}", is_public=True, content_type__startswith="image/")
        .first()
    )
    return photo if photo is not None and concern_is_on_map(photo.concern) else None


def moderation_photo(*, name: str) -> Attachment | None:
    """A photo by its random name, for the moderation queue (released or not)."""
    if not PHOTO_NAME.match(name):
        return None
    return (
        Attachment.objects.filter(file__endswith=f"/{name}", content_type__startswith="image/")
        .filter(concern__category__is_public=True)
        .first()
    )


def moderation_queue() -> QuerySet[Concern]:
    """Concerns of public categories nobody has decided about yet, newest first, with photos."""
    return (
        Concern.objects.filter(category__is_public=True, is_public=False, moderation__isnull=True)
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(content_type__startswith="image/"),
                to_attr="photos",
            )
        )
        .order_by("-reported_at", "-id")
    )
