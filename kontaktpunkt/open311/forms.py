"""Validation of what clients send: the GET filters and the form-encoded POST of a service request."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontaktpunkt.open311.selectors import RequestFilters
from kontaktpunkt.open311.serializers import AttributeRow

MAX_WINDOW = timedelta(days=90)
DEFAULT_PAGE_SIZE = 1000  # the spec's default volume; page_size may ask for less
MAX_IDS = 100
MAX_OFFSET = timedelta(hours=14)
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_STRING_MAX = {"string": 300, "text": 4000}


class W3CDateTimeField(forms.CharField):
    """A W3C-DTF date or date-time; without an offset it is read as local time."""

    default_error_messages = {
        "invalid": gettext_lazy("Not a valid W3C date and time, e.g. 2026-03-01T00:00:00+01:00.")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)  # a value of only whitespace is given, and no date
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        raw = super().to_python(value) or ""
        if not raw:
            return None
        text = raw.strip()
        if not text:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            moment = parse_datetime(text)
            if moment is None and (day := parse_date(text)) is not None:
                moment = datetime.combine(day, time.min)
        except ValueError:
            moment = None
        if moment is None or not date(1900, 1, 1) <= moment.date() <= date(9000, 1, 1):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        offset = moment.utcoffset() or timedelta(0)
        if abs(offset) > MAX_OFFSET:  # real offsets lie within ±14:00; PostgreSQL refuses others
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment.astimezone(UTC)


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class RequestsQueryForm(forms.Form):
    service_request_id = forms.CharField(required=False, max_length=4000)
    service_code = forms.CharField(required=False, max_length=4000)
    start_date = W3CDateTimeField(required=False)
    end_date = W3CDateTimeField(required=False)
    status = forms.CharField(required=False, max_length=20)
    updated_after = W3CDateTimeField(required=False)
    updated_before = W3CDateTimeField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=DEFAULT_PAGE_SIZE)
    extensions = forms.CharField(required=False, max_length=5)

    def clean_status(self) -> list[str]:
        statuses = _comma_list(self.cleaned_data["status"])
        if not set(statuses) <= {"open", "closed"}:
            raise ValidationError(_("The status is open, closed or both, comma-separated."))
        return statuses

    def clean_extensions(self) -> bool:
        value = str(self.cleaned_data["extensions"]).lower()
        if value not in {"", "true", "false"}:
            raise ValidationError(_("extensions is true or false."))
        return value == "true"

    def clean_service_request_id(self) -> list[str]:
        references = _comma_list(self.cleaned_data["service_request_id"])
        if len(references) > MAX_IDS:
            raise ValidationError(
                _("At most %(count)d service requests can be asked for at once.")
                % {"count": MAX_IDS}
            )
        return references

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if self.errors:
            return data
        if start is None and end is None:
            end = timezone.now()
        if start is None and end is not None:
            start = end - MAX_WINDOW
        elif end is None and start is not None:
            end = start + MAX_WINDOW
        if start is not None and end is not None:
            if start > end:
                raise ValidationError(_("start_date must lie before end_date."))
            if end - start > MAX_WINDOW:
                raise ValidationError(_("start_date and end_date may be at most 90 days apart."))
        data["start_date"], data["end_date"] = start, end
        return data

    def filters(self) -> RequestFilters:
        data = self.cleaned_data
        size = data["page_size"] or DEFAULT_PAGE_SIZE
        return RequestFilters(
            references=data["service_request_id"],
            service_codes=_comma_list(data["service_code"]),
            start=data["start_date"],
            end=data["end_date"],
            statuses=data["status"],
            updated_after=data["updated_after"],
            updated_before=data["updated_before"],
            offset=((data["page"] or 1) - 1) * size,
            limit=size,
        )


class RequestCreateForm(forms.Form):
    """The standard fields of POST requests; attributes are checked by attributes_clean()."""

    service_code = forms.CharField(max_length=60)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(required=False, max_length=300)
    address_id = forms.CharField(required=False, max_length=100)
    email = forms.EmailField(required=False, max_length=254)
    device_id = forms.CharField(required=False, max_length=200)
    account_id = forms.CharField(required=False, max_length=200)
    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    phone = forms.CharField(required=False, max_length=50)
    description = forms.CharField(required=False, max_length=4000)
    media_url = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        return _location_check(data)


def request_create_clean(post: QueryDict) -> tuple[dict[str, Any], list[str]]:
    """RequestCreateForm's checks without building a form: (cleaned data, messages).

    A form deep-copies its 13 fields for every request, a third of a POST's Python time; the fields
    themselves keep no state, so the hot path cleans with the class's own fields. Messages are the
    form's, each prefixed with its parameter (see api.form_errors).
    """
    data: dict[str, Any] = {}
    errors: list[str] = []
    for name, field in RequestCreateForm.base_fields.items():
        try:
            data[name] = field.clean(post.get(name))
        except ValidationError as exc:
            errors.extend(f"{name}: {message}" for message in exc.messages)
    if errors:
        return data, errors
    try:
        return _location_check(data), []
    except ValidationError as exc:
        return data, list(exc.messages)


def _location_check(data: dict[str, Any]) -> dict[str, Any]:
    """A point (both coordinates, finite) or an address string; address_id is not supported."""
    has_lat, has_long = data.get("lat") is not None, data.get("long") is not None
    if has_lat != has_long:
        raise ValidationError(_("lat and long must be given together."))
    if not has_lat and not data.get("address_string"):
        if data.get("address_id"):
            raise ValidationError(
                _("address_id is not supported here; give lat and long or address_string.")
            )
        raise ValidationError(_("A location is required: lat and long, or address_string."))
    if has_lat and not (math.isfinite(data["lat"]) and math.isfinite(data["long"])):
        raise ValidationError(_("lat and long must be numbers."))
    return data


def attributes_clean(
    post: QueryDict, definition: list[AttributeRow]
) -> tuple[dict[str, Any], list[str]]:
    """The answers `attribute[code]=…` (lists as `attribute[code][]=…`) checked against the
    definition: (answers by code, error messages)."""
    given: dict[str, list[str]] = {}
    errors: list[str] = []
    for name in post:
        match = _ATTRIBUTE.match(name)
        if match:
            values = [value.strip() for value in post.getlist(name) if value.strip()]
            given.setdefault(match.group(1), []).extend(values)
    known = {attribute.code: attribute for attribute in definition}
    for code in sorted(set(given) - set(known)):
        errors.append(_("Unknown attribute %(code)s.") % {"code": code})
    answers: dict[str, Any] = {}
    for attribute in definition:
        values = given.get(attribute.code, [])
        if not values:
            if attribute.required:
                errors.append(_("The attribute %(code)s is required.") % {"code": attribute.code})
            continue
        try:
            answers[attribute.code] = _answer(attribute, values)
        except ValidationError as exc:
            errors.extend(f"{attribute.code}: {message}" for message in exc.messages)
    return answers, errors


def _answer(attribute: AttributeRow, values: list[str]) -> Any:
    keys = {key for key, _name in attribute.values}
    if attribute.datatype == "multivaluelist":
        unknown = [value for value in values if value not in keys]
        if unknown:
            raise ValidationError(_("Not a value of the list: %(value)s.") % {"value": unknown[0]})
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise ValidationError(_("Only one value is allowed."))
    value = values[0]
    if attribute.datatype == "singlevaluelist":
        if value not in keys:
            raise ValidationError(_("Not a value of the list: %(value)s.") % {"value": value})
        return value
    if attribute.datatype == "number":
        try:
            number = float(value.replace(",", ".") if value.count(",") == 1 else value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(_("Not a number."))
        return number
    if attribute.datatype == "datetime":
        moment = W3CDateTimeField(required=False).clean(value)
        return moment.isoformat() if moment else None
    limit = _STRING_MAX.get(attribute.datatype, 300)
    if len(value) > limit:
        raise ValidationError(_("At most %(count)d characters are allowed.") % {"count": limit})
    return value
