"""API keys in the admin: issue one (the key is shown once, right after saving) and revoke it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kontaktpunkt.open311.models import ApiKey
from kontaktpunkt.open311.services import api_key_fill, api_key_new, api_key_revoke


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
