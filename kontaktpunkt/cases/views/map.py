"""The map of open concerns: a Leaflet page (works without tiles and offline) and its GeoJSON data.

The data are the open concerns the person may see (intake.selectors.concerns_visible_to), within the
map's bounding box and optionally of one category or field. At most MAX_FEATURES markers are sent;
beyond that the concerns are counted per H3 cell (Concern.h3_cell, resolution 9; coarser cells while
there are more than MAX_CELLS) and the response says `"aggregated": true`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import h3
from django import forms
from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kontaktpunkt.accounts.decorators import perm_required
from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.core.forms import BBox, bbox_parse
from kontaktpunkt.core.types import AuthedRequest
from kontaktpunkt.geo.gazetteer import map_backdrop
from kontaktpunkt.intake.forms import category_choices
from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern, Field, Status
from kontaktpunkt.intake.selectors import concerns_visible_to

MAX_FEATURES = 5000
MAX_CELLS = 2000
UNINDEXED_LIMIT = 50_000
H3_RESOLUTION = 9


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_GET
def map_page(request: AuthedRequest) -> HttpResponse:
    context = {
        "backdrop": map_backdrop(),
        "tile_url": settings.KP_MAP_TILE_URL,
        "tile_attribution": settings.KP_MAP_TILE_ATTRIBUTION,
        "filters": MapQueryForm(request.GET or None),
        "max_features": MAX_FEATURES,
    }
    return render(request, "cases/map.html", context)


@perm_required(Perm.CONCERN_VIEW_UNIT)
@require_GET
def map_data(request: AuthedRequest) -> JsonResponse:
    form = MapQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    concerns = open_concerns_on_map(user=request.user, **form.cleaned_data)
    return JsonResponse(feature_collection(concerns, limit=MAX_FEATURES))


# --------------------------------------------------------------------------- query


class MapQueryForm(forms.Form):
    bbox = forms.CharField(required=False, max_length=120)
    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), required=False, coerce=str, empty_value=""
    )
    field = forms.ChoiceField(
        label=gettext_lazy("Field"),
        required=False,
        choices=[("", gettext_lazy("all fields")), *Field.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in category_choices() if c[0] != "none"]
        choices[0] = ("", gettext_lazy("all categories"))
        self.fields["category"].choices = choices  # type: ignore[attr-defined]

    def clean_bbox(self) -> BBox | None:
        return bbox_parse(self.cleaned_data["bbox"])

    def clean_category(self) -> Category | None:
        value = self.cleaned_data["category"]
        return Category.objects.filter(pk=int(value)).first() if value else None


def open_concerns_on_map(
    *, user: User, bbox: BBox | None, category: Category | None, field: str
) -> QuerySet[Concern]:
    """The open concerns with a point that `user` may see, in `bbox`, of `category` or `field`."""
    concerns = concerns_visible_to(user).filter(
        status__in=OPEN_STATUSES, lat__isnull=False, lon__isnull=False
    )
    if bbox is not None:
        west, south, east, north = bbox
        concerns = concerns.filter(lat__range=(south, north), lon__range=(west, east))
    if category is not None:
        concerns = concerns.filter(category=category)
    if field:
        concerns = concerns.filter(category__field=field)
    return concerns


# --------------------------------------------------------------------------- GeoJSON


def feature_collection(concerns: QuerySet[Concern], *, limit: int) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one marker per concern, or counts per H3 cell beyond `limit`."""
    total = concerns.count()
    if total > limit:
        return _cells(concerns, total=total, limit=limit)
    detail = reverse("cases:detail", args=["REFERENCE"])
    rows = concerns.values_list(
        "reference", "lat", "lon", "status", "category__name", "category__field", "reported_at",
        "address", "priority",
    )  # fmt: skip
    features = [
        _point(
            lat or 0.0,
            lon or 0.0,
            {
                "reference": reference,
                "url": detail.replace("REFERENCE", reference),
                "status": status,
                "status_label": str(Status(status).label),
                "category": name or _("uncategorised"),
                "field": field or "",
                "reported_at": reported_at.isoformat(),
                "reported_label": formats.date_format(
                    timezone.localtime(reported_at), "SHORT_DATETIME_FORMAT"
                ),
                "address": address,
                "priority": priority,
            },
        )
        for reference, lat, lon, status, name, field, reported_at, address, priority in rows
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": total,
        "limit": limit,
        "aggregated": False,
    }


def _point(lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": properties,
    }


def _cells(concerns: QuerySet[Concern], *, total: int, limit: int) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    grouped = concerns.exclude(h3_cell="").order_by().values("h3_cell").annotate(n=Count("id"))
    for row in grouped:
        counts[row["h3_cell"]] += row["n"]
    # Rows written outside concern_submit may lack their cell: computed here, up to a bound.
    for lat, lon in concerns.filter(h3_cell="").values_list("lat", "lon")[:UNINDEXED_LIMIT]:
        counts[h3.latlng_to_cell(lat, lon, H3_RESOLUTION)] += 1
    resolution = H3_RESOLUTION
    while len(counts) > MAX_CELLS and resolution > 0:
        resolution -= 1
        coarser: Counter[str] = Counter()
        for cell, n in counts.items():
            coarser[h3.cell_to_parent(cell, resolution)] += n
        counts = coarser
    features = []
    for cell, n in sorted(counts.items()):
        lat, lon = h3.cell_to_latlng(cell)
        features.append(_point(lat, lon, {"cell": cell, "count": n}))
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": total,
        "limit": limit,
        "aggregated": True,
        "resolution": resolution,
        "note": _(
            "More than %(limit)s open concerns in this section: counted per hexagon cell. "
            "Zoom in or filter to see single concerns."
        )
        % {"limit": formats.number_format(limit, force_grouping=True)},
    }
