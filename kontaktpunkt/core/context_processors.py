from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def tenant(request: HttpRequest) -> dict[str, str]:
    return {"kp_tenant": settings.KP_TENANT, "kp_map_tile_url": settings.KP_MAP_TILE_URL}
