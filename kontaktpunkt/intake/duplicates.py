"""Duplicate candidates at intake: open concerns of the same kind nearby and recent.

A candidate is an open concern of the same category (or of a closely related one, such as dog waste
reported as cleanliness or as a dog owner's offence) within a radius and a time window that depend on
the category: a person in need moves on within hours, a scrap car stays for weeks. The default is
150 m and 14 days. Candidates are ranked by distance, nearest first.

The query uses the (category, reported_at) index and a bounding box on lat/lon; exact distances are
computed in Python on the few rows left. Issue 6 extends this to text similarity across all channels
and moves the rules into data; `duplicate_candidates` keeps its shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern, Field

METRES_PER_DEGREE = 111_320.0
EARTH_RADIUS_M = 6_371_008.8
# At most this many rows of one category and window are looked at (newest first).
SCAN_LIMIT = 500


@dataclass(frozen=True)
class DuplicateRule:
    radius_m: float
    window: timedelta


DEFAULT_RULE = DuplicateRule(radius_m=150.0, window=timedelta(days=14))

# Per field, where the field's matters behave alike.
FIELD_RULES: dict[str, DuplicateRule] = {
    Field.SECURITY: DuplicateRule(radius_m=150.0, window=timedelta(days=3)),
    Field.SOCIAL: DuplicateRule(radius_m=250.0, window=timedelta(days=2)),
}

# Per category code, where a kind differs from its field.
CATEGORY_RULES: dict[str, DuplicateRule] = {
    "social-sleeping-rough": DuplicateRule(radius_m=150.0, window=timedelta(days=7)),
    "order-encampment": DuplicateRule(radius_m=150.0, window=timedelta(days=30)),
    "cleanliness-street-lighting": DuplicateRule(radius_m=60.0, window=timedelta(days=30)),
    "cleanliness-traffic-lights": DuplicateRule(radius_m=60.0, window=timedelta(days=14)),
    "cleanliness-road-damage": DuplicateRule(radius_m=50.0, window=timedelta(days=60)),
    "cleanliness-scrap-vehicles": DuplicateRule(radius_m=80.0, window=timedelta(days=60)),
    "cleanliness-scrap-bicycles": DuplicateRule(radius_m=80.0, window=timedelta(days=60)),
    "cleanliness-illegal-dumping": DuplicateRule(radius_m=100.0, window=timedelta(days=21)),
    "cleanliness-graffiti": DuplicateRule(radius_m=50.0, window=timedelta(days=30)),
}

# Kinds that people report under either name; both directions are looked up.
RELATED_CATEGORIES: tuple[frozenset[str], ...] = (
    frozenset({"cleanliness-dog-waste", "order-dog-fouling"}),
    frozenset({"order-public-drinking", "order-drinking-group"}),
    frozenset({"order-aggressive-begging", "social-begging-need"}),
    frozenset({"order-encampment", "social-sleeping-rough"}),
    frozenset({"cleanliness-playgrounds", "order-playground-misuse"}),
    frozenset({"cleanliness-litter", "cleanliness-illegal-dumping"}),
)


@dataclass(frozen=True)
class DuplicateCandidate:
    concern: Concern
    distance_m: float

    @property
    def distance_label(self) -> str:
        """Metres, rounded to 5 m (a point on a map is not more exact than that)."""
        return f"{round(self.distance_m / 5) * 5} m"


def duplicate_rule(category: Category) -> DuplicateRule:
    """The radius and time window in which a concern of `category` counts as a possible duplicate."""
    return CATEGORY_RULES.get(category.code) or FIELD_RULES.get(category.field) or DEFAULT_RULE


def related_codes(code: str) -> set[str]:
    """The codes of categories that count as the same kind as `code` (itself included)."""
    related = {code}
    for group in RELATED_CATEGORIES:
        if code in group:
            related |= group
    return related


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def duplicate_candidates(
    *,
    category: Category,
    lat: float,
    lon: float,
    among: QuerySet[Concern] | None = None,
    now: datetime | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Open concerns of the same kind within the category's radius and window, nearest first.

    `among` restricts the search (pass the concerns the person may see); default: all concerns.
    """
    rule = duplicate_rule(category)
    now = now or timezone.now()
    dlat = rule.radius_m / METRES_PER_DEGREE
    dlon = rule.radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    codes = related_codes(category.code)
    queryset = (among if among is not None else Concern.objects.all()).filter(
        status__in=OPEN_STATUSES,
        reported_at__gte=now - rule.window,
        reported_at__lte=now,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    if codes == {category.code}:
        queryset = queryset.filter(category=category)
    else:
        queryset = queryset.filter(category__code__in=codes)
    rows = queryset.select_related("category").order_by("-reported_at", "-id")[:SCAN_LIMIT]
    candidates = []
    for concern in rows:
        if concern.lat is None or concern.lon is None:
            continue
        distance = distance_m(lat, lon, concern.lat, concern.lon)
        if distance <= rule.radius_m:
            candidates.append(DuplicateCandidate(concern=concern, distance_m=distance))
    candidates.sort(key=lambda c: (c.distance_m, -c.concern.reported_at.timestamp()))
    return candidates[:limit]
