"""Forms of the roster pages. They bind and check input; the services do the rest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.roster.models import MAX_PLAN_DAYS, Post, RosterPlan, ShiftType, StaffMember

DEFAULT_DAYS = 28
MAX_SOLVE_SECONDS = 240  # below the worker's lease of a job (core.jobs.LEASE, 5 minutes)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    start = forms.DateField(label=_("First day"), widget=DateInput())
    n_days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=MAX_PLAN_DAYS, initial=DEFAULT_DAYS
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CellForm(forms.Form):
    """One cell of the grid: a shift and a post, or the day off. `expected` is what the cell held
    when the page was drawn (the edit-conflict check)."""

    shift_type = forms.ModelChoiceField(
        label=_("Shift"),
        queryset=ShiftType.objects.none(),
        required=False,
        empty_label=_("off"),
    )
    post = forms.ChoiceField(
        label=_("Post"),
        choices=[("", _("automatic")), *Post.choices],
        required=False,
    )
    expected = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = ShiftType.objects.filter(active=True)  # type: ignore[attr-defined]


class SolveForm(forms.Form):
    time_limit_s = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=MAX_SOLVE_SECONDS, initial=30
    )


class SickCallForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, plan: RosterPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            unit_id=plan.unit_id, active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if isinstance(first, date) and isinstance(last, date) and first > last:
            raise forms.ValidationError(_("The last day comes before the first."))
        return data


class MonthForm(forms.Form):
    monat = forms.RegexField(label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def month(self, default: date) -> date:
        value = self.cleaned_data.get("monat") if self.is_valid() else None
        if not value:
            return default.replace(day=1)
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)


def _upload(label: Any, *, required: bool = True) -> forms.FileField:
    return forms.FileField(label=label, required=required)


class JsonImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    file = _upload(_("Instance (JSON)"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return _checked_size(self.cleaned_data["file"])


class CsvImportForm(PlanCreateForm):
    staff_file = _upload(_("Staff (CSV)"))
    demand_file = _upload(_("Demand (CSV)"), required=False)
    absences_file = _upload(_("Absences (CSV)"), required=False)
    wishes_file = _upload(_("Wishes (CSV)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("staff_file", "demand_file", "absences_file", "wishes_file"):
            if data.get(name):
                _checked_size(data[name])
        return data

    def content(self, name: str) -> bytes:
        upload = self.cleaned_data.get(name)
        return bytes(upload.read()) if upload else b""


def _checked_size(upload: Any) -> Any:
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    return upload
