"""Forms of the links in our mails."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.routing.services import PartnerOutcome

NOTE_MAX = 2000


class PartnerAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How is it going?"), choices=PartnerOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For “working on it” and “done” the reporter sees this message as the answer; "
            "for “not our responsibility” only our staff see it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == PartnerOutcome.NOT_OURS and not data.get("note", "").strip():
            self.add_error("note", _("Please tell us who is responsible instead, if you know it."))
        return data
