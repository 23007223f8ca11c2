"""Forms of case handling: the queue filter (GET parameters) and saving a filter under a name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.queries import OPEN, UNASSIGNED, QueueFilter, Sort
from kontaktpunkt.geo.models import Area
from kontaktpunkt.intake.models import Category, Channel, Field, Priority, Status

_EARLIEST = date(2000, 1, 1)
_LATEST = date(2099, 12, 31)
_ANY = ("", _("all"))


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    """The filters of the queue page. All optional; every one given narrows the result.

    `assignees` are the people offered in the assignee filter (the members of the unit).
    """

    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("all open")), *Status.choices],
        widget=forms.CheckboxSelectMultiple,
    )
    field = forms.ChoiceField(label=_("Field"), required=False, choices=[_ANY, *Field.choices])
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("all"),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=Area.objects.filter(level=Area.Level.DISTRICT),
        to_field_name="slug",
        empty_label=_("all"),
    )
    quarter = forms.ModelChoiceField(
        label=_("Quarter"),
        required=False,
        queryset=Area.objects.filter(level=Area.Level.QUARTER),
        to_field_name="slug",
        empty_label=_("all"),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        choices=[_ANY, *Priority.choices],
        coerce=int,
        empty_value=None,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[_ANY, *Channel.choices]
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    reported_from = forms.DateField(label=_("Reported from"), required=False, widget=_DateInput())
    reported_to = forms.DateField(label=_("Reported until"), required=False, widget=_DateInput())
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=Sort.choices)

    def __init__(self, data: Any = None, *, assignees: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        assignee = cast(forms.ChoiceField, self.fields["assignee"])
        assignee.choices = [_ANY, (UNASSIGNED, _("nobody"))] + [
            (str(u.pk), str(u)) for u in assignees
        ]

    def clean_reported_from(self) -> date | None:
        return self._clean_day("reported_from")

    def clean_reported_to(self) -> date | None:
        return self._clean_day("reported_to")

    def _clean_day(self, name: str) -> date | None:
        day: date | None = self.cleaned_data.get(name)
        if day is not None and not _EARLIEST <= day <= _LATEST:
            raise forms.ValidationError(
                _("Please give a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={
                    "first": _EARLIEST.strftime("%d.%m.%Y"),
                    "last": _LATEST.strftime("%d.%m.%Y"),
                },
            )
        return day

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("reported_from"), self.cleaned_data.get("reported_to")
        if start is not None and end is not None and start > end:
            self.add_error("reported_to", _("The end of the period lies before its start."))
        return cleaned

    def queue_filter(self) -> QueueFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        district, quarter = data.get("district"), data.get("quarter")
        return QueueFilter(
            statuses=tuple(data.get("status") or ()),
            category=data.get("category"),
            field=data.get("field") or None,
            district_id=district.pk if district is not None else None,
            quarter_id=quarter.pk if quarter is not None else None,
            priority=data.get("priority"),
            channel=data.get("channel") or None,
            overdue=bool(data.get("overdue")),
            assignee=_assignee(data.get("assignee") or ""),
            reported_from=data.get("reported_from"),
            reported_to=data.get("reported_to"),
            sort=Sort(data.get("sort") or Sort.NEWEST),
        )


def _assignee(value: str) -> int | Literal["none"] | None:
    if value == UNASSIGNED:
        return UNASSIGNED
    return int(value) if value else None


class SavedFilterForm(forms.Form):
    """Save the current filter (its query string) under a name."""

    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
