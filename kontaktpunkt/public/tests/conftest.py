"""Helpers of the public side's tests: a public category, a valid form, images with GPS data."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kontaktpunkt.intake.models import Category
from kontaktpunkt.public.forms import ticket_issue

GPS_IFD = 0x8825
KREFELD = (51.3336, 6.5618)


@pytest.fixture
def category(db: None) -> Category:
    return Category.objects.filter(is_public=True, active=True).order_by("pk")[0]


@pytest.fixture
def internal_category(db: None) -> Category:
    return Category.objects.filter(is_public=False, active=True).order_by("pk")[0]


def old_ticket() -> str:
    """A ticket as rendered a minute ago: past the minimum fill time."""
    return ticket_issue(now=time.time() - 60)


def report_data(category: Category, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ticket": old_ticket(),
        "website": "",
        "category": str(category.pk),
        "description": "Überquellender Mülleimer an der Haltestelle",
        "address": "",
        "lat": str(KREFELD[0]),
        "lon": str(KREFELD[1]),
        "name": "",
        "email": "",
        "phone": "",
    }
    data.update(overrides)
    return data


def post_report(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(reverse("public:report"), data, **extra)


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Handyhersteller"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 20.0, 1.5), 3: "E", 4: (6.0, 33.0, 2.0)})
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG", exif=exif)
    return out.getvalue()


def photo(
    data: bytes | None = None, name: str = "foto.jpg", content_type: str = "image/jpeg"
) -> Any:
    return SimpleUploadedFile(name, data if data is not None else jpeg_with_gps(), content_type)
