"""The public reporting form, its protections, and how a sent form becomes a concern.

Decisions:

- **Ticket.** Every render of the form carries a signed ticket: a random idempotency key and the time
  of the render. The key makes a second submit of the same form find the first concern (see
  services.public_report_submit); the time refuses a form sent faster than a person can fill it in.
- **Honeypot.** A field "website" hidden from people (CSS, aria-hidden, no tab stop); bots fill it.
- **Location.** A pin on the map (hidden lat/lon) or an address; without JavaScript the typed address
  is resolved on the server through the gazetteer (prefix or better), otherwise kept as text.
- **Photos** are checked by content and re-encoded from their pixels (cases.attachments.upload_clean);
  an image carrying markup (a PNG with HTML after its end, an image with a script inside) is refused
  even though re-encoding would drop it: such a file is an attack, not a photo.
- **Contact data** is stored only with consent.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.cases.attachments import CleanUpload, UploadRefused, sniff, upload_clean
from kontaktpunkt.core.forms import bbox_parse, latitude_field, longitude_field
from kontaktpunkt.core.ratelimit import RateLimitResult
from kontaktpunkt.geo.gazetteer import gazetteer_search
from kontaktpunkt.intake.duplicates import duplicate_candidates
from kontaktpunkt.intake.models import Category, Channel, Concern, Field
from kontaktpunkt.intake.proposals import inputs_classify
from kontaktpunkt.intake.services import ConcernInput, ReporterInput
from kontaktpunkt.public.selectors import concern_is_on_map, submission_concern
from kontaktpunkt.public.services import (
    public_report_submit,
    report_limit_per_address,
    report_limit_per_email,
)

TICKET_SALT = "kontaktpunkt.public.report"
TICKET_MAX_AGE_S = 24 * 3600
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 5000
MAX_PHOTOS = 5
DUPLICATE_HINTS = 3
# A typed address is resolved on the server only to a hit at least this good (prefix or better).
SERVER_RESOLVE_MIN_SCORE = 0.5
_MARKUP = re.compile(rb"<\s*(?:script|html|svg|iframe|body|!doctype|\?php)", re.IGNORECASE)
_PNG_END = b"IEND\xaeB`\x82"
_phone = RegexValidator(
    r"^[0-9+()/\s.-]{3,50}$",
    _("Enter a phone number of digits, spaces and + ( ) / - only."),
)


@dataclass(frozen=True)
class Ticket:
    key: str
    issued_at: float


def ticket_issue(*, now: float | None = None) -> str:
    """A new signed ticket: a fresh idempotency key and the time the form was rendered."""
    issued = time.time() if now is None else now
    return signing.dumps({"k": secrets.token_urlsafe(18), "t": issued}, salt=TICKET_SALT)


def ticket_read(value: str, *, max_age: int | None = TICKET_MAX_AGE_S) -> Ticket | None:
    """The ticket in `value`, or None when it is forged, damaged or (with max_age) too old."""
    try:
        data = signing.loads(value, salt=TICKET_SALT, max_age=max_age)
        return Ticket(key=str(data["k"]), issued_at=float(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def min_fill_seconds() -> float:
    return float(settings.KP_PUBLIC_MIN_FILL_SECONDS)


def public_category_choices() -> list[tuple[Any, Any]]:
    """The public, active categories grouped by field, after a "choose" entry."""
    by_field: dict[str, list[tuple[str, str]]] = {}
    categories = Category.objects.filter(active=True, is_public=True).order_by("sort_order", "name")
    for category in categories:
        by_field.setdefault(category.field, []).append((str(category.pk), category.name))
    choices: list[tuple[Any, Any]] = [("", _("(choose a category)"))]
    choices += [(f.label, by_field[f.value]) for f in Field if f.value in by_field]
    return choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files under one name; each is checked in ReportForm.clean_photos."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Website (leave this field empty)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        error_messages={
            "required": _("Please choose what the report is about."),
            "invalid_choice": _("This category is not offered (any more); please choose again."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please describe what you saw."),
            "min_length": _("Please describe it in a few more words (at least %(limit_value)d)."),
        },
    )
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    lat = latitude_field()
    lon = longitude_field()
    photos = PhotosField(label=_("Photos (optional)"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False, validators=[_phone])
    consent = forms.BooleanField(
        label=_(
            "I agree that my contact data is stored for this report as described in the privacy "
            "notice and that the city may contact me about it."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = public_category_choices()  # type: ignore[attr-defined]

    def submitted_key(self) -> str | None:
        """The idempotency key of a sent form (even an old one), read before validating."""
        ticket = ticket_read(str(self.data.get("ticket", "")), max_age=None)
        return ticket.key if ticket else None

    def clean_ticket(self) -> Ticket:
        ticket = ticket_read(str(self.cleaned_data["ticket"]))
        if ticket is None:
            raise forms.ValidationError(
                _("The form is outdated or damaged. Please check your entries and send it again."),
                code="ticket",
            )
        return ticket

    def clean_website(self) -> str:
        if str(self.cleaned_data["website"]).strip():
            raise forms.ValidationError(
                _("Please leave the field “Website” empty."), code="honeypot"
            )
        return ""

    def clean_category(self) -> Category:
        value = str(self.cleaned_data["category"])
        category = (
            Category.objects.filter(pk=int(value), active=True, is_public=True).first()
            if value.isdigit()
            else None
        )
        if category is None:
            raise forms.ValidationError(self.fields["category"].error_messages["invalid_choice"])
        return category

    def clean_description(self) -> str:
        return str(self.cleaned_data["description"]).strip()

    def clean_photos(self) -> list[CleanUpload]:
        files: list[UploadedFile] = self.cleaned_data["photos"]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)d photos can be sent with one report.") % {"count": MAX_PHOTOS}
            )
        clean, errors = [], []
        for upload in files:
            try:
                clean.append(photo_clean(upload))
            except UploadRefused as exc:
                errors.append(
                    forms.ValidationError(
                        _("“%(name)s”: %(reason)s") % {"name": upload.name, "reason": str(exc)}
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return clean

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticket = data.get("ticket")
        if isinstance(ticket, Ticket) and time.time() - ticket.issued_at < min_fill_seconds():
            raise forms.ValidationError(
                _(
                    "That was very fast - the report was not sent yet. Please check your entries "
                    "(and choose photos again) and send the form once more."
                ),
                code="too_fast",
            )
        lat, lon = data.get("lat"), data.get("lon")
        point_error = self.has_error("lat") or self.has_error("lon")
        if (lat is None) != (lon is None) and not point_error:
            self.add_error("address", _("The point on the map is incomplete; set it again."))
        elif lat is None and data.get("address"):
            hits = gazetteer_search(query=data["address"], limit=1)
            if hits and hits[0].score >= SERVER_RESOLVE_MIN_SCORE:
                data["lat"], data["lon"] = hits[0].lat, hits[0].lon
        elif lat is None and not point_error and not self.has_error("address"):
            self.add_error(
                "address", _("Please set a point on the map or enter an address or place.")
            )
        contact = any(data.get(f) for f in ("name", "email", "phone"))
        if contact and not data.get("consent"):
            self.add_error(
                "consent",
                _("We keep contact data only with your consent: tick the box or leave them empty."),
            )
        return data

    def concern_input(self) -> ConcernInput:
        data = self.cleaned_data
        reporter = None
        if any(data[f] for f in ("name", "email", "phone")):
            reporter = ReporterInput(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                consent=data["consent"],
                wants_updates=bool(data["email"]) and data["consent"],
            )
        return ConcernInput(
            channel=Channel.WEB,
            description=data["description"],
            category=data["category"],
            lat=data["lat"],
            lon=data["lon"],
            address=data["address"],
            reporter=reporter,
        )


def photo_clean(upload: UploadedFile) -> CleanUpload:
    """Accept an uploaded photo by its content, re-encoded without metadata; or refuse it."""
    data = upload.read()
    if sniff(data[:16]) is not None and (
        _MARKUP.search(data) or (data.startswith(b"\x89PNG") and _after_png_end(data))
    ):
        raise UploadRefused(_("The image contains hidden extra content and is not accepted."))
    clean = upload_clean(data=data, name=upload.name or "", declared_type=upload.content_type or "")
    if clean.format.kind != "image":
        raise UploadRefused(_("Only photos (JPEG, PNG, WebP) can be sent with a report."))
    return clean


def _after_png_end(data: bytes) -> bool:
    end = data.find(_PNG_END)
    return end >= 0 and bool(data[end + len(_PNG_END) :].strip(b"\x00\r\n\t "))


# --------------------------------------------------------------------------- the save


@dataclass(frozen=True)
class ReportOutcome:
    """What became of a sent form: a concern (new or found again), a rate limit, or errors."""

    concern: Concern | None = None
    limited: RateLimitResult | None = None


def report_receive(*, form: ReportForm, client: str) -> ReportOutcome:
    """Turn a sent form into one concern, however often the same form is sent.

    A form sent again (same key) finds its concern before anything is counted. Every other sent form
    counts against its client address; a valid one also against its e-mail address.
    """
    key = form.submitted_key()
    known = submission_concern(key=key) if key else None
    if known is not None:
        return ReportOutcome(concern=known)
    limited = report_limit_per_address(client=client)
    if limited is not None:
        return ReportOutcome(limited=limited)
    if not form.is_valid():
        return ReportOutcome()
    email = form.cleaned_data["email"]
    limited = report_limit_per_email(email=email) if email else None
    if limited is not None:
        return ReportOutcome(limited=limited)
    # The citizen chose the category; the urgency comes from the text (intake.proposals).
    (data,) = inputs_classify(inputs=[form.concern_input()])
    concern = public_report_submit(
        key=form.cleaned_data["ticket"].key,
        data=data,
        photos=form.cleaned_data["photos"],
    )
    return ReportOutcome(concern=concern)


class PlaceQueryForm(forms.Form):
    """The address search's query: a few letters, or a point (for the address near a pin)."""

    q = forms.CharField(required=False, max_length=200)
    lat = forms.FloatField(required=False, min_value=-90.0, max_value=90.0)
    lon = forms.FloatField(required=False, min_value=-180.0, max_value=180.0)


@dataclass(frozen=True)
class DuplicateHint:
    """A concern that is probably what the citizen is about to report, as the public may see it:
    category, distance and day; its status and the map only when a person released it."""

    category: str
    distance: str
    reported: str
    released: bool
    status: str  # empty unless released

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class DuplicateQueryForm(forms.Form):
    """The "already reported?" query: the category, the point and the text typed so far."""

    category = forms.IntegerField(min_value=1)
    lat = forms.FloatField(min_value=-90.0, max_value=90.0)
    lon = forms.FloatField(min_value=-180.0, max_value=180.0)
    text = forms.CharField(required=False, max_length=DESCRIPTION_MAX)

    def hints(self) -> list[DuplicateHint]:
        """Open concerns of public categories from any channel that are likely the same matter."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        category = Category.objects.filter(pk=data["category"], is_public=True, active=True).first()
        if category is None:
            return []
        candidates = duplicate_candidates(
            category=category,
            lat=data["lat"],
            lon=data["lon"],
            text=data["text"],
            among=Concern.objects.filter(category__is_public=True),
            limit=DUPLICATE_HINTS,
            likely_only=True,
        )
        return [_hint(c.concern, c.distance_label) for c in candidates]


def _hint(concern: Concern, distance: str) -> DuplicateHint:
    released = concern_is_on_map(concern)
    return DuplicateHint(
        category=concern.category.name if concern.category else "",
        distance=distance,
        reported=formats.date_format(timezone.localtime(concern.reported_at), "SHORT_DATE_FORMAT"),
        released=released,
        status=str(concern.get_status_display()) if released else "",
    )


class MapQueryForm(forms.Form):
    bbox = forms.CharField(required=False, max_length=120)

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        return bbox_parse(self.cleaned_data["bbox"])


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("release", _("release")), ("withhold", _("withhold"))])
