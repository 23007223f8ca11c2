"""API keys in the admin (issue one — the key is shown once, right after saving — and revoke it) and the
Open311 inbox."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kontaktpunkt.open311.models import ApiKey, Submission
from kontaktpunkt.open311.services import (
    api_key_fill,
    api_key_new,
    api_key_revoke,
    submissions_retry,
)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = [
        "client_name",
        "prefix",
        "active",
        "rate_limit_per_minute",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["active"]
    search_fields = ["client_name", "prefix"]
    fields = [
        "client_name",
        "rate_limit_per_minute",
        "prefix",
        "active",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "active", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False  # revoked keys stay, so that it remains known who had one

    def save_model(
        self, request: HttpRequest, obj: ApiKey, form: ModelForm[ApiKey], change: bool
    ) -> None:
        raw = ""
        if not change:
            raw = api_key_new()
            api_key_fill(key=obj, raw=raw)
            obj.created_by = request.user if request.user.is_authenticated else None
        super().save_model(request, obj, form, change)
        if raw:
            self.message_user(
                request,
                _("The API key for %(client)s is: %(key)s — copy it now, it is shown only once.")
                % {"client": obj.client_name, "key": raw},
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Revoke the selected API keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        keys = list(queryset.filter(active=True))
        for key in keys:
            api_key_revoke(key=key)
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", len(keys))
            % {"count": len(keys)},
            messages.SUCCESS,
        )


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    """The Open311 inbox: what waits for intake, and what failed (dead letters) with its error."""

    list_display = ["reference", "api_key", "received_at", "processed_at", "attempts", "concern"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["reference"]
    fields = (
        "reference",
        "api_key",
        "received_at",
        "processed_at",
        "attempts",
        "concern",
        "last_error",
    )
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False  # an accepted request was promised a concern; it is never thrown away here

    @admin.action(description=gettext_lazy("Try the intake of the selected submissions again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        count = submissions_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d submission will be taken in again.",
                "%(count)d submissions will be taken in again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
