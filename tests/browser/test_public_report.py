"""Issue 4 acceptance: a citizen reports on a phone with a photo carrying GPS data; the stored photo
has no metadata, the status page shows the concern, and sending the same form again creates nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, expect
from pytest_django import Settings

from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.geo.gazetteer import gazetteer_invalidate
from kontaktpunkt.intake.models import Category, Channel, Concern
from kontaktpunkt.public.models import PublicSubmission
from kontaktpunkt.tenants.loader import tenant_load

GPS_IFD = 0x8825


@pytest.fixture
def krefeld(transactional_db: None) -> None:
    tenant_load(name="krefeld")
    gazetteer_invalidate()


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Handyhersteller"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 20.0, 1.5), 3: "E", 4: (6.0, 33.0, 2.0)})
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "orange").save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    return data


def test_a_citizen_reports_on_a_phone_and_a_second_submit_creates_nothing(
    browser: Browser, live_server, krefeld: None, settings: Settings
):
    settings.KP_PUBLIC_MIN_FILL_SECONDS = 0
    base = live_server.url
    category = Category.objects.get(code="order-posters")
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"{base}{reverse('public:report')}")
    expect(page.locator("#report-map")).to_be_visible()
    page.locator("#category-search").fill("plakat")
    expect(page.locator("#id_category")).to_have_value(str(category.pk))
    page.locator("#id_description").fill("Wilde Plakate an der Bushaltestelle, schon seit Tagen")
    page.locator("#id_address").fill("Königstraße 114")
    page.locator("#place-list button").first.tap()
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.locator("#id_photos").set_input_files(
        {"name": "handyfoto.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
    )
    ticket = page.locator("#id_ticket").input_value()
    page.locator("#report-send").tap()
    page.wait_for_url("**/melden/danke/**")

    concern = Concern.objects.get()
    assert concern.channel == Channel.WEB and concern.category == category
    assert concern.address.startswith("Königstraße 114") and concern.lat is not None
    reference = page.locator("#reference").inner_text()
    assert reference == concern.reference
    attachment = Attachment.objects.get(concern=concern)
    assert attachment.is_public is False
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert not image.getexif() and "exif" not in image.info
        assert image.size == (640, 480)

    page.locator("#status-link").tap()
    page.wait_for_url(f"**/status/{concern.public_token}/")
    expect(page.get_by_role("heading", name=reference)).to_be_visible()
    expect(page.locator("#status")).to_have_text("neu")

    # The same form once more (the same idempotency key): the same thank-you page, nothing new.
    page.goto(f"{base}{reverse('public:report')}")
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_description").fill("Wilde Plakate an der Bushaltestelle, schon seit Tagen")
    page.locator("#id_address").fill("Königstraße 114")
    page.evaluate("(value) => { document.getElementById('id_ticket').value = value; }", ticket)
    page.locator("#report-send").tap()
    page.wait_for_url(f"**/melden/danke/{concern.public_token}/")
    assert Concern.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert PublicSubmission.objects.count() == 1
    context.close()
