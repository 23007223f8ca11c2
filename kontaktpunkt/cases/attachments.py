"""Checking uploads by their content, re-encoding images, and refusing large ones early.

Allowed: images (JPEG, PNG, WebP) and PDF. The type is read from the content (magic bytes), never
from the file name or the declared type; an image must decode completely with Pillow, a PDF must
start with `%PDF-` and end with `%%EOF`. Name or declared type may not claim the other kind (a PDF
called `foto.jpg` is refused); among images the name does not matter, since the picture is rebuilt
from its pixels anyway: orientation applied, stored without EXIF, XMP, GPS, ICC profile or comments.
Images with more pixels than settings.KP_UPLOAD_MAX_PIXELS are refused from their header, before
anything is decoded (decompression bombs).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import PureWindowsPath
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

# Room for the multipart envelope and the other fields beside the file itself.
ENVELOPE_BYTES = 64 * 1024
PDF_TRAILER_WINDOW = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class UploadRefused(Exception):  # noqa: N818
    """The upload is not accepted; the message is German and shown to the person."""


class UploadTooLarge(UploadRefused):
    """Larger than settings.KP_UPLOAD_MAX_BYTES (HTTP 413)."""


@dataclass(frozen=True)
class FileFormat:
    name: str  # Pillow's format name, or PDF
    kind: str  # image or pdf
    content_type: str
    extension: str


FORMATS = {
    "JPEG": FileFormat("JPEG", "image", "image/jpeg", "jpg"),
    "PNG": FileFormat("PNG", "image", "image/png", "png"),
    "WEBP": FileFormat("WEBP", "image", "image/webp", "webp"),
    "PDF": FileFormat("PDF", "pdf", "application/pdf", "pdf"),
}
EXTENSIONS = {"image": {"jpg", "jpeg", "jpe", "jfif", "png", "webp"}, "pdf": {"pdf"}}
DECLARED_TYPES = {
    "image": {"image/jpeg", "image/pjpeg", "image/jpg", "image/png", "image/x-png", "image/webp"},
    "pdf": {"application/pdf", "application/x-pdf"},
}
UNDECLARED = {"", "application/octet-stream", "binary/octet-stream"}
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 85},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 85},
}
_KEEP_MODES = {"JPEG": {"RGB", "L"}, "PNG": {"RGB", "RGBA", "L", "LA"}, "WEBP": {"RGB", "RGBA"}}


@dataclass(frozen=True)
class CleanUpload:
    """An accepted upload: the bytes to store (re-encoded for images) and what they are."""

    content: bytes
    format: FileFormat
    original_name: str

    @property
    def content_type(self) -> str:
        return self.format.content_type

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def download_name(self) -> str:
        """The original name's stem with the extension of the real type."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else ""
        return f"{stem or 'anhang'}.{self.format.extension}"


def sniff(head: bytes) -> FileFormat | None:
    """The allowed format the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return FORMATS["JPEG"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FORMATS["PNG"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FORMATS["WEBP"]
    if head.startswith(b"%PDF-"):
        return FORMATS["PDF"]
    return None


def safe_name(name: str) -> str:
    """The last part of a client's file name, without control characters, at most 200 characters."""
    last = PureWindowsPath(name or "").name.replace("/", "_")
    return _CONTROL.sub("", last).strip()[-200:] or "anhang"


def upload_clean(
    *,
    data: bytes,
    name: str,
    declared_type: str = "",
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> CleanUpload:
    """Accept or refuse an upload by its content; raises UploadRefused (UploadTooLarge) otherwise."""
    limit = settings.KP_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise UploadTooLarge(_upload_too_large_message(limit))
    if not data:
        raise UploadRefused(_("The file is empty."))
    fmt = sniff(data[:16])
    if fmt is None:
        raise UploadRefused(
            _("This type of file is not accepted. Allowed are images (JPEG, PNG, WebP) and PDF.")
        )
    original = safe_name(name)
    _check_claims(fmt, original, declared_type)
    if fmt.kind == "pdf":
        _check_pdf(data)
        return CleanUpload(content=data, format=fmt, original_name=original)
    pixels = settings.KP_UPLOAD_MAX_PIXELS if max_pixels is None else max_pixels
    return CleanUpload(
        content=image_reencode(data, fmt, pixels), format=fmt, original_name=original
    )


def _upload_too_large_message(limit: int) -> str:
    return _("The file is too large. At most %(size)s are allowed.") % {
        "size": filesizeformat(limit)
    }


def _check_claims(fmt: FileFormat, name: str, declared_type: str) -> None:
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    declared = declared_type.split(";")[0].strip().lower()
    if (extension and extension not in EXTENSIONS[fmt.kind]) or (
        declared not in UNDECLARED and declared not in DECLARED_TYPES[fmt.kind]
    ):
        raise UploadRefused(
            _(
                "The content of the file (%(format)s) does not match its name or type "
                "(%(name)s). Please choose the right file."
            )
            % {"format": fmt.name, "name": name}
        )


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-PDF_TRAILER_WINDOW:]:
        raise UploadRefused(_("The PDF is incomplete or damaged."))


# Pillow's switch to fill a truncated image with grey instead of refusing it is process-wide, and
# WeasyPrint turns it on when it is imported (roster PDFs). Uploads must refuse truncated images, so
# every decode turns it off again, under a lock so that no other thread turns it on in between.
_TRUNCATED_SWITCH = threading.Lock()


def image_reencode(data: bytes, fmt: FileFormat, max_pixels: int) -> bytes:
    """Decode the whole image, apply its orientation and store its pixels anew, without metadata."""
    with _TRUNCATED_SWITCH:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        return _reencode(data, fmt, max_pixels)


def _reencode(data: bytes, fmt: FileFormat, max_pixels: int) -> bytes:
    unreadable = _("The image could not be read; it may be damaged.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[fmt.name]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise UploadRefused(_("The image has too many pixels."))
                image.load()
                upright = ImageOps.exif_transpose(image)
                pixels = _normalised(upright, fmt.name)
                # A new image gets the pixels only: no info, no EXIF/XMP/ICC, no comments.
                clean = Image.new(pixels.mode, pixels.size)
                clean.paste(pixels)
        except UploadRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UploadRefused(_("The image has too many pixels.")) from exc
        except Exception as exc:
            raise UploadRefused(unreadable) from exc
    out = io.BytesIO()
    clean.save(out, format=fmt.name, **_SAVE_OPTIONS[fmt.name])
    return out.getvalue()


def _normalised(image: Image.Image, format_name: str) -> Image.Image:
    if image.mode in _KEEP_MODES[format_name]:
        return image
    if format_name == "JPEG":
        return image.convert("RGB")
    alpha = image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB")


class MaxSizeUploadHandler(FileUploadHandler):
    """Stops storing an uploaded file once it grows past `max_bytes` and remembers that it did."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.max_bytes:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_upload_size(
    respond: Callable[..., HttpResponse],
) -> Callable[[ViewFunc], ViewFunc]:
    """Answer with `respond(request, ...)` (HTTP 413) when an upload is too large.

    A request whose CONTENT_LENGTH already exceeds the limit is refused before its body is read;
    otherwise a file growing past the limit while it is received is dropped and refused. Must be
    applied before anything reads request.POST: the view must be `csrf_exempt` outside and
    `csrf_protect` inside this decorator.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            max_bytes = int(settings.KP_UPLOAD_MAX_BYTES)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_bytes + ENVELOPE_BYTES:
                return respond(request, *args, **kwargs)
            guard = MaxSizeUploadHandler(request, max_bytes)
            request.upload_handlers = [guard, *request.upload_handlers]
            response = view(request, *args, **kwargs)
            return respond(request, *args, **kwargs) if guard.exceeded else response

        return wrapped  # type: ignore[return-value]

    return decorator


def upload_too_large_message() -> str:
    return _upload_too_large_message(int(settings.KP_UPLOAD_MAX_BYTES))
