from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kontaktpunkt.core.navigation import nav_items


def tenant(request: HttpRequest) -> dict[str, Any]:
    return {
        "kp_tenant": settings.KP_TENANT,
        "kp_map_tile_url": settings.KP_MAP_TILE_URL,
        "kp_nav": nav_items(request),
    }
