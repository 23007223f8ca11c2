from __future__ import annotations

import io

import pytest
from PIL import Image

from kontaktpunkt.cases.attachments import (
    UploadRefused,
    UploadTooLarge,
    safe_name,
    sniff,
    upload_clean,
)

GPS = 0x8825
ORIENTATION = 0x0112


def image_bytes(fmt: str, size=(40, 30), color="red", mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Handyhersteller"  # Make
    exif.get_ifd(GPS).update({1: "N", 2: (51.0, 20.0, 1.5), 3: "E", 4: (6.0, 33.0, 2.0)})
    return exif


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(out, "PDF")
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_png_with_exif_gps_is_stored_without_any_metadata():
    source = image_bytes("PNG", exif=exif_with_gps())
    assert GPS in reopen(source).getexif()  # the test file really carries GPS

    clean = upload_clean(data=source, name="foto.png", declared_type="image/png")

    stored = reopen(clean.content)
    assert stored.format == "PNG" and stored.size == (40, 30)
    assert stored.info == {}
    assert dict(stored.getexif()) == {}
    assert b"Handyhersteller" not in clean.content


def test_a_jpeg_loses_exif_icc_and_comments_and_is_turned_upright():
    source = image_bytes(
        "JPEG",
        size=(40, 20),
        exif=exif_with_gps(orientation=6),
        icc_profile=b"fake-icc-profile",
        comment=b"geheime Notiz",
    )

    clean = upload_clean(data=source, name="foto.jpg", declared_type="image/jpeg")

    stored = reopen(clean.content)
    assert stored.size == (20, 40)  # orientation 6: rotated by 90 degrees
    assert dict(stored.getexif()) == {}
    for key in ("exif", "icc_profile", "comment", "xmp", "photoshop"):
        assert key not in stored.info
    assert b"geheime Notiz" not in clean.content


def test_a_webp_is_re_encoded_as_webp_without_metadata():
    source = image_bytes("WEBP", exif=exif_with_gps(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")

    clean = upload_clean(data=source, name="bild.webp")

    stored = reopen(clean.content)
    assert (stored.format, clean.content_type) == ("WEBP", "image/webp")
    assert "exif" not in stored.info and "xmp" not in stored.info


def test_a_png_with_transparency_keeps_its_alpha_channel():
    clean = upload_clean(data=image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)), name="a.png")

    assert reopen(clean.content).mode == "RGBA"


def test_a_palette_png_is_stored_as_plain_pixels():
    source = image_bytes("PNG", mode="P", color=3)

    assert reopen(upload_clean(data=source, name="p.png").content).mode == "RGB"


def test_a_pdf_is_accepted_by_header_and_trailer_and_stored_as_it_is():
    source = pdf_bytes()

    clean = upload_clean(data=source, name="Bescheid.pdf", declared_type="application/pdf")

    assert clean.content == source and clean.content_type == "application/pdf"


def test_a_pdf_without_trailer_is_refused_as_damaged():
    with pytest.raises(UploadRefused, match="PDF"):
        upload_clean(data=b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", name="kaputt.pdf")


@pytest.mark.parametrize(
    ("data", "name", "declared"),
    [
        (pdf_bytes(), "foto.jpg", "image/jpeg"),  # a PDF called a JPEG
        (pdf_bytes(), "foto.jpg", ""),
        (image_bytes("PNG"), "Bescheid.pdf", "application/pdf"),  # an image called a PDF
        (image_bytes("PNG"), "seite.html", "text/html"),
        (image_bytes("JPEG"), "foto.jpg", "application/pdf"),
    ],
    ids=["pdf-as-jpeg", "pdf-named-jpg", "png-as-pdf", "png-as-html", "jpeg-declared-pdf"],
)
def test_a_file_whose_name_or_type_claims_another_kind_is_refused(data, name, declared):
    with pytest.raises(UploadRefused, match=r"\(.+\)"):
        upload_clean(data=data, name=name, declared_type=declared)


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"MZ\x90\x00 ein Programm",
    ],
    ids=["html", "gif", "svg", "exe"],
)
def test_content_of_another_type_is_refused_even_when_called_a_jpeg(data):
    with pytest.raises(UploadRefused):
        upload_clean(data=data, name="foto.jpg", declared_type="image/jpeg")


def test_a_png_called_jpg_is_accepted_and_stored_as_the_png_it_is():
    clean = upload_clean(data=image_bytes("PNG"), name="foto.jpg", declared_type="image/jpeg")

    assert clean.content_type == "image/png" and clean.download_name == "foto.png"


def test_a_truncated_image_is_refused():
    data = image_bytes("JPEG", size=(200, 200))

    with pytest.raises(UploadRefused):
        upload_clean(data=data[: len(data) // 2], name="halb.jpg")


def test_an_image_with_a_broken_body_but_a_valid_header_is_refused():
    data = bytearray(image_bytes("PNG", size=(64, 64)))
    data[60:90] = b"\x00" * 30

    with pytest.raises(UploadRefused):
        upload_clean(data=bytes(data), name="kaputt.png")


def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(monkeypatch):
    bomb = image_bytes("PNG", size=(5000, 5000), mode="1", color=0)  # tiny file, 25 MP
    assert len(bomb) < 20_000

    def never(self, *args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(Image.Image, "load", never)
    with pytest.raises(UploadRefused, match=r"pixel|Pixel"):
        upload_clean(data=bomb, name="bombe.png", max_pixels=10_000_000)


def test_an_image_above_pillows_own_bomb_limit_is_refused_without_a_warning(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(UploadRefused):
        upload_clean(data=image_bytes("PNG", size=(100, 100)), name="x.png", max_pixels=10**9)


def test_an_upload_over_the_size_limit_is_refused_as_too_large():
    with pytest.raises(UploadTooLarge):
        upload_clean(data=image_bytes("PNG"), name="x.png", max_bytes=10)


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused):
        upload_clean(data=b"", name="leer.png")


def test_sniffing_reads_the_magic_bytes():
    def name_of(head: bytes) -> str | None:
        fmt = sniff(head)
        return fmt.name if fmt else None

    assert name_of(image_bytes("JPEG")[:16]) == "JPEG"
    assert name_of(image_bytes("PNG")[:16]) == "PNG"
    assert name_of(image_bytes("WEBP")[:16]) == "WEBP"
    assert name_of(b"%PDF-1.4\n") == "PDF"
    assert name_of(b"<html>") is None


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("C:\\Users\\Erika\\foto.jpg", "foto.jpg"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\nc.png", "abc.png"),
        ("", "anhang"),
    ],
)
def test_client_file_names_are_reduced_to_a_safe_last_part(name, safe):
    assert safe_name(name) == safe


def test_a_truncated_jpeg_is_refused_even_after_a_library_allowed_truncated_images():
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # what importing WeasyPrint does to the whole process
    try:
        buffer = io.BytesIO()
        Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, format="JPEG")
        truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]

        with pytest.raises(UploadRefused):
            upload_clean(data=truncated, name="foto.jpg", declared_type="image/jpeg")
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
