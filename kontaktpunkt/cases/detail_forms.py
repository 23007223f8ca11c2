"""Forms of the case detail. Each carries the version of the concern it was rendered with."""

from __future__ import annotations

from typing import Any, Self

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.accounts.permissions import Perm
from kontaktpunkt.accounts.selectors import unit_members_with_perm
from kontaktpunkt.cases.attachments import UploadRefused, UploadTooLarge, upload_clean
from kontaktpunkt.cases.models import ReplyTemplate
from kontaktpunkt.intake.models import Category, Concern, Status
from kontaktpunkt.intake.selectors import concerns_visible_to


class VersionedForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    id_prefix = "case"  # several forms share a page: element ids become <id_prefix>_<field>

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def rebound(self, *, version: int) -> Self:
        """The same input, bound again on `version` (to re-submit after an edit conflict)."""
        data: dict[str, Any] = {key: self.data.get(key) for key in self.data}
        data["version"] = str(version)
        clone = type(self)(data, **self._rebind_kwargs())
        clone.full_clean()
        return clone

    def _rebind_kwargs(self) -> dict[str, Any]:
        return {}


class TransitionForm(VersionedForm):
    id_prefix = "transition"
    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)


def unit_members(unit: Unit | None) -> QuerySet[User]:
    """The active members of `unit` who may work its concerns, by name."""
    return unit_members_with_perm(unit=unit, perm=Perm.CONCERN_EDIT)


class AssignForm(VersionedForm):
    id_prefix = "assign"
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(active=True),
        empty_label=_("(choose a unit)"),
    )
    assignee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("nobody in particular (the whole unit)"),
        error_messages={"invalid_choice": _("This person is not a member of the chosen unit.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = unit_members(self.chosen_unit())

    def chosen_unit(self) -> Unit | None:
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        if isinstance(raw, Unit):
            return raw
        try:
            return Unit.objects.filter(pk=int(str(raw)), active=True).first()
        except (TypeError, ValueError):
            return None


VISIBILITY = [
    ("internal", _("Internal note (staff only)")),
    ("public", _("Public reply (shown on the status page)")),
]


class NoteForm(VersionedForm):
    id_prefix = "note"
    visibility = forms.ChoiceField(
        label=_("Kind"), choices=VISIBILITY, initial="internal", widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    @property
    def is_public(self) -> bool:
        return self.cleaned_data.get("visibility") == "public"


class ReplyTemplateChoiceForm(forms.Form):
    """Pick a reply template to start a public reply with (GET, so it works without JavaScript)."""

    vorlage = forms.ModelChoiceField(
        label=_("Reply template"),
        queryset=ReplyTemplate.objects.filter(active=True),
        empty_label=_("(choose a template)"),
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class AttachmentForm(VersionedForm):
    id_prefix = "attach"
    file = forms.FileField(label=_("File"), help_text=_("Images (JPEG, PNG, WebP) or PDF."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            return upload_clean(
                data=upload.read(), name=upload.name or "", declared_type=upload.content_type or ""
            )
        except UploadTooLarge as refused:
            raise forms.ValidationError(str(refused), code="too_large") from refused
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from refused


class CategoryForm(VersionedForm):
    id_prefix = "category"
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(active=True).order_by("field", "sort_order", "name"),
        empty_label=_("(choose a category)"),
        error_messages={
            "invalid_choice": _("This category is not offered (any more); please choose again.")
        },
    )


class MergeForm(VersionedForm):
    id_prefix = "merge"
    original = forms.CharField(
        label=_("Reference of the original"),
        max_length=30,
        help_text=_("This concern becomes a duplicate of the one you name here."),
    )

    def __init__(self, *args: Any, user: User, concern: Concern, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.concern = user, concern

    def _rebind_kwargs(self) -> dict[str, Any]:
        return {"user": self.user, "concern": self.concern}

    def clean_original(self) -> Concern:
        reference = self.cleaned_data["original"].strip().upper()
        if reference == self.concern.reference:
            raise forms.ValidationError(_("A concern cannot be merged into itself."))
        original = concerns_visible_to(self.user).filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(_("No concern with this reference was found."))
        return original
