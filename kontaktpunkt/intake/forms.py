"""Forms of the intake desk, and the desk's save that a double submit cannot repeat.

Decisions:

- **Category or explicitly none.** A concern needs its text and a category; a clerk who cannot tell
  chooses "uncategorised" on purpose (the select's second entry, the combobox's last option). Empty is
  refused, so that nobody forgets the category by accident.
- **Location.** A point comes from an address hit (hidden lat/lon filled by the combobox) or from a pin
  on the map. Without JavaScript the typed address is resolved on the server to the gazetteer's best hit
  (prefix or better; a near miss is not trusted). An address that cannot be resolved is kept as text.
- **Reporter contact** is stored only with consent: contact data without the consent box is refused.
- **Priority.** Empty means the category's default; the classifier's proposal (suggest.py) offers the
  urgency it suggests for the best category, raised where children are, and the clerk takes it or not.
- **Corrections.** When the clerk saves a category other than the one the classifier proposes for the
  text, the pair is kept without any personal data (classify.services.correction_record), so that the
  corpus can grow from the desk's decisions.
- **Reported to a partner already.** A person who has reported the matter on the partner's portal
  (maak-et.de) gives its number there; the concern keeps it, the forward links to that request
  instead of sending it again (routing.linking), and a concern that names the same number, or was
  forwarded under it, is the first duplicate candidate.
- **Double submit.** The form carries a random token. The save locks the clerk's user row, reads the
  tokens already used in this session from the session store (not from the request's possibly stale
  copy), and either returns the concern recorded for the token or records a new one and stores the
  token in the session inside the same transaction. So a second POST of the same form, even one sent
  while the first is still running, finds the first concern. The token is tied to a digest of the
  content: a form reused after "back" with different content records a new concern.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Membership, User
from kontaktpunkt.classify.services import correction_record
from kontaktpunkt.core.forms import latitude_field, longitude_field
from kontaktpunkt.geo.gazetteer import gazetteer_search
from kontaktpunkt.intake.duplicates import (
    DuplicateCandidate,
    DuplicateRule,
    duplicate_candidates,
    partner_candidates,
)
from kontaktpunkt.intake.duplicates import duplicate_rule as rule_of
from kontaktpunkt.intake.models import (
    Category,
    Channel,
    Concern,
    Field,
    IntakePoint,
    IntakePointKind,
    Priority,
)
from kontaktpunkt.intake.selectors import concerns_visible_to
from kontaktpunkt.intake.services import (
    ConcernInput,
    ReporterInput,
    concern_submit,
    partner_reference_clean,
)
from kontaktpunkt.intake.suggest import DeskSuggestion, desk_suggestion, suggested_code

UNCATEGORISED = "none"
DESK_CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.EMAIL, Channel.FIELD)
SESSION_PRESET = "kp_desk_preset"
SESSION_TOKENS = "kp_desk_tokens"
TOKENS_KEPT = 50
DESCRIPTION_MAX = 5000
# A typed address is resolved on the server only to a hit at least this good (prefix or better).
SERVER_RESOLVE_MIN_SCORE = 0.5

PARTNER_REFERENCE_MAX = 100
_partner_reference = RegexValidator(
    r"^\s*#?\s*[A-Za-z0-9][A-Za-z0-9._/-]*\s*$",
    _("Enter the partner's number as it was given: letters, digits and . _ / - only."),
)
_token = RegexValidator(r"^[A-Za-z0-9_-]{16,64}$", _("The form is damaged; please reload it."))
_phone = RegexValidator(
    r"^[0-9+()/\s.-]{3,50}$",
    _("Enter a phone number of digits, spaces and + ( ) / - only."),
)


def category_choices() -> list[tuple[Any, Any]]:
    """The select fallback: "choose", "uncategorised", then the active categories per field."""
    by_field: dict[str, list[tuple[str, str]]] = {}
    for category in Category.objects.filter(active=True).order_by("sort_order", "name"):
        by_field.setdefault(category.field, []).append((str(category.pk), category.name))
    choices: list[tuple[Any, Any]] = [
        ("", _("(choose a category)")),
        (UNCATEGORISED, _("Uncategorised (sort later)")),
    ]
    choices += [(f.label, by_field[f.value]) for f in Field if f.value in by_field]
    return choices


class DeskForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, validators=[_token])
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in DESK_CHANNELS]
    )
    intake_point = forms.ModelChoiceField(
        label=_("Intake point"),
        queryset=IntakePoint.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label=_("none (e.g. own observation)"),
    )
    description = forms.CharField(
        label=_("What is it about?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        error_messages={"required": _("Please describe the concern.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        error_messages={
            "required": _("Choose a category, or choose “uncategorised” explicitly."),
            "invalid_choice": _("This category is not offered (any more); please choose again."),
        },
    )
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    lat = latitude_field()
    lon = longitude_field()
    priority = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=[("", _("as the category says")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    needs_help = forms.BooleanField(
        label=_("Needs help (streetwork should look at it)"), required=False
    )
    reporter_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    reporter_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    reporter_phone = forms.CharField(
        label=_("Phone"), max_length=50, required=False, validators=[_phone]
    )
    consent = forms.BooleanField(
        label=_("The person agrees to be contacted about this concern"), required=False
    )
    wants_updates = forms.BooleanField(label=_("Send status updates by e-mail"), required=False)
    partner_reference = forms.CharField(
        label=_("Already reported to a partner? Their reference number"),
        help_text=_("e.g. the number from maak-et.de: the concern is linked, not sent again."),
        max_length=PARTNER_REFERENCE_MAX,
        required=False,
        validators=[_partner_reference],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]

    def clean_description(self) -> str:
        return str(self.cleaned_data["description"]).strip()

    def clean_partner_reference(self) -> str:
        return partner_reference_clean(str(self.cleaned_data["partner_reference"]))

    def clean_category(self) -> Category | None:
        value = self.cleaned_data["category"]
        if value == UNCATEGORISED:
            return None
        category = Category.objects.filter(pk=value, active=True).first()
        if category is None:
            raise forms.ValidationError(self.fields["category"].error_messages["invalid_choice"])
        return category

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        point_error = self.has_error("lat") or self.has_error("lon")
        if (lat is None) != (lon is None) and not point_error:
            self.add_error("address", _("The point on the map is incomplete; set it again."))
        elif lat is None and data.get("address"):
            hits = gazetteer_search(query=data["address"], limit=1)
            if hits and hits[0].score >= SERVER_RESOLVE_MIN_SCORE:
                data["lat"], data["lon"] = hits[0].lat, hits[0].lon
        contact = any(data.get(f) for f in ("reporter_name", "reporter_email", "reporter_phone"))
        if contact and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Contact data is kept only with consent: tick the box or leave the fields empty."
                ),
            )
        if data.get("wants_updates") and not data.get("reporter_email"):
            self.add_error("reporter_email", _("Status updates need an e-mail address."))
        return data

    def concern_input(self) -> ConcernInput:
        data = self.cleaned_data
        reporter = None
        if any(data[f] for f in ("reporter_name", "reporter_email", "reporter_phone")):
            reporter = ReporterInput(
                name=data["reporter_name"],
                email=data["reporter_email"],
                phone=data["reporter_phone"],
                consent=data["consent"],
                wants_updates=data["wants_updates"],
            )
        return ConcernInput(
            channel=Channel(data["channel"]),
            description=data["description"],
            category=data["category"],
            intake_point=data["intake_point"],
            priority=Priority(data["priority"]) if data["priority"] else None,
            lat=data["lat"],
            lon=data["lon"],
            address=data["address"],
            needs_help=data["needs_help"],
            reporter=reporter,
            partner_reference=data["partner_reference"],
        )

    def content_digest(self) -> str:
        """What the form says, as a short digest (the token's content check)."""
        data = self.cleaned_data
        content = [
            data["description"],
            data["category"].pk if data["category"] else None,
            data["address"],
            data["lat"],
            data["lon"],
            data["priority"],
            data["partner_reference"],
        ]
        return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- presets


def default_intake_point(user: User) -> IntakePoint | None:
    """The first active intake point staffed by one of the person's units (as configured)."""
    units = Membership.objects.filter(user=user).values("unit_id")
    return IntakePoint.objects.filter(active=True, units__in=units).order_by("pk").first()


def default_channel(point: IntakePoint | None) -> Channel:
    if point is None:
        return Channel.FIELD
    return Channel.PHONE if point.kind == IntakePointKind.OFFICE else Channel.WALK_IN


def desk_initial(*, user: User, session: SessionBase) -> dict[str, Any]:
    """A fresh form's values: a new token, and channel and intake point as last chosen here."""
    preset = session.get(SESSION_PRESET)
    if isinstance(preset, dict):
        point_id = preset.get("intake_point")
        point = IntakePoint.objects.filter(pk=point_id, active=True).first() if point_id else None
        channel = preset.get("channel") or default_channel(point)
    else:
        point = default_intake_point(user)
        channel = default_channel(point)
    return {"token": secrets.token_urlsafe(18), "channel": channel, "intake_point": point}


# --------------------------------------------------------------------------- the save


@dataclass(frozen=True)
class DeskRecord:
    concern: Concern
    created: bool


def desk_record(*, form: DeskForm, by: User, session: SessionBase) -> DeskRecord:
    """Record the concern of a valid desk form once, however often the same form is sent."""
    token, digest = form.cleaned_data["token"], form.content_digest()
    suggested = suggested_code(text=form.cleaned_data["description"])
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
        tokens = _tokens_stored(session)
        known = tokens.get(token)
        if known and known[1] == digest:
            concern = Concern.objects.filter(reference=known[0]).first()
            if concern is not None:
                session[SESSION_TOKENS] = tokens
                return DeskRecord(concern=concern, created=False)
        concern = concern_submit(data=form.concern_input(), by=by)
        _correction_keep(concern, suggested=suggested)
        tokens[token] = [concern.reference, digest]
        session[SESSION_TOKENS] = dict(list(tokens.items())[-TOKENS_KEPT:])
        point = form.cleaned_data["intake_point"]
        session[SESSION_PRESET] = {
            "channel": form.cleaned_data["channel"],
            "intake_point": point.pk if point else None,
        }
        session.save()
    return DeskRecord(concern=concern, created=True)


def _correction_keep(concern: Concern, *, suggested: str) -> None:
    """Keep the text and the categories when the clerk chose another than the proposed one."""
    if concern.category is not None:
        correction_record(
            text=concern.description,
            suggested_code=suggested,
            final_code=concern.category.code,
            urgency=concern.priority,
        )


def _tokens_stored(session: SessionBase) -> dict[str, list[str]]:
    """The tokens used in this session as stored now (another request may have added one)."""
    stored: dict[str, Any] = {}
    if session.session_key:
        stored = type(session)(session_key=session.session_key).load()
    tokens = {**session.get(SESSION_TOKENS, {}), **stored.get(SESSION_TOKENS, {})}
    return {str(k): list(v) for k, v in tokens.items() if isinstance(v, list | tuple)}


# --------------------------------------------------------------------------- duplicates

# Without a chosen category, the duplicate hint looks for the proposed one when it is this likely.
GUESS_MIN_CONFIDENCE = 0.5
DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class DuplicatePreview:
    """What the duplicate hint shows: nothing to ask yet, or the candidates within the rule."""

    asked: bool
    candidates: list[DuplicateCandidate]
    rule: DuplicateRule | None = None
    category: Category | None = None
    guessed: bool = False  # the category is the classifier's proposal, not the clerk's choice
    partner_reference: str = ""  # looked for by the partner's number (too)

    @property
    def window_days(self) -> int:
        return self.rule.window.days if self.rule else 0

    @property
    def radius_m(self) -> int:
        return round(self.rule.radius_m) if self.rule else 0


def duplicate_preview(
    *,
    category: Category | None,
    lat: float | None,
    lon: float | None,
    user: User,
    text: str = "",
    partner_reference: str = "",
) -> DuplicatePreview:
    """Open concerns the person may see that may be the same matter, best first; those under the
    same partner's number first of all, even without a category or a place.

    Without a category, the classifier's proposal for the text stands in when it is likely enough.
    """
    reference = partner_reference_clean(partner_reference)
    guessed = category is None
    if category is None and lat is not None and lon is not None:
        category = _category_guessed(text)
    if category is None or lat is None or lon is None:
        if not reference:
            return DuplicatePreview(asked=False, candidates=[])
        found = partner_candidates(
            partner_reference=reference,
            category=category,
            lat=lat,
            lon=lon,
            among=concerns_visible_to(user),
        )
        return DuplicatePreview(
            asked=True, candidates=found[:DUPLICATES_SHOWN], partner_reference=reference
        )
    candidates = duplicate_candidates(
        category=category,
        lat=lat,
        lon=lon,
        text=text,
        among=concerns_visible_to(user),
        limit=DUPLICATES_SHOWN,
        partner_reference=reference,
    )
    return DuplicatePreview(
        asked=True,
        candidates=candidates,
        rule=rule_of(category),
        category=category,
        guessed=guessed,
        partner_reference=reference,
    )


def _category_guessed(text: str) -> Category | None:
    suggestion = desk_suggestion(text=text, lat=None, lon=None) if text else None
    best = suggestion.best if suggestion else None
    if best is None or best.confidence < GUESS_MIN_CONFIDENCE:
        return None
    return Category.objects.filter(pk=best.category_id, active=True).first()


class DuplicateQueryForm(forms.Form):
    """The duplicate hint's query: category, point and text as the desk form holds them."""

    category = forms.CharField(required=False, max_length=20)
    lat = forms.FloatField(required=False, min_value=-90.0, max_value=90.0)
    lon = forms.FloatField(required=False, min_value=-180.0, max_value=180.0)
    description = forms.CharField(required=False, max_length=DESCRIPTION_MAX, strip=True)
    partner_reference = forms.CharField(
        required=False, max_length=PARTNER_REFERENCE_MAX, validators=[_partner_reference]
    )

    def clean_category(self) -> Category | None:
        value = self.cleaned_data["category"]
        if not str(value).isdigit():
            return None
        return Category.objects.filter(pk=int(value), active=True).first()

    def preview(self, *, user: User) -> DuplicatePreview:
        if not self.is_valid():
            return DuplicatePreview(asked=False, candidates=[])
        data = self.cleaned_data
        return duplicate_preview(
            category=data["category"],
            lat=data["lat"],
            lon=data["lon"],
            text=data["description"],
            user=user,
            partner_reference=data["partner_reference"],
        )


def desk_duplicate_preview(*, form: DeskForm, user: User) -> DuplicatePreview:
    """The duplicate hint for a desk form shown again (after an error, or on first load)."""
    if not form.is_bound:
        return DuplicatePreview(asked=False, candidates=[])
    data = getattr(form, "cleaned_data", {})
    category = data.get("category")
    return duplicate_preview(
        category=category if isinstance(category, Category) else None,
        lat=data.get("lat"),
        lon=data.get("lon"),
        text=str(data.get("description") or ""),
        user=user,
        partner_reference=str(data.get("partner_reference") or ""),
    )


# --------------------------------------------------------------------------- the proposal


class ClassificationQueryForm(forms.Form):
    """The proposal's query: the text so far and the point, as the desk form holds them."""

    description = forms.CharField(required=False, max_length=DESCRIPTION_MAX, strip=True)
    lat = forms.FloatField(required=False, min_value=-90.0, max_value=90.0)
    lon = forms.FloatField(required=False, min_value=-180.0, max_value=180.0)

    def suggestion(self) -> DeskSuggestion | None:
        if not self.is_valid() or not self.cleaned_data["description"]:
            return None
        data = self.cleaned_data
        return desk_suggestion(text=data["description"], lat=data["lat"], lon=data["lon"])


def desk_classification(*, form: DeskForm) -> DeskSuggestion | None:
    """The proposal for a desk form shown again, from what it holds."""
    if not form.is_bound:
        return None
    query = ClassificationQueryForm(
        {k: form.data.get(k, "") for k in ("description", "lat", "lon")}
    )
    return query.suggestion()


class SuggestQueryForm(forms.Form):
    """The type-ahead's query: a few letters, or a point (for the address near a pin)."""

    q = forms.CharField(required=False, max_length=200)
    lat = forms.FloatField(required=False, min_value=-90.0, max_value=90.0)
    lon = forms.FloatField(required=False, min_value=-180.0, max_value=180.0)

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""

    def point(self) -> tuple[float, float] | None:
        if not self.is_valid() or self.cleaned_data["lat"] is None:
            return None
        if self.cleaned_data["lon"] is None:
            return None
        return self.cleaned_data["lat"], self.cleaned_data["lon"]
