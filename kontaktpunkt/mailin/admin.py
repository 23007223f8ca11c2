"""The mails the e-mail intake processed, read-only: what each became, and why one was ignored."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kontaktpunkt.mailin.models import ImportedMail


@admin.register(ImportedMail)
class ImportedMailAdmin(admin.ModelAdmin[ImportedMail]):
    list_display = ["at", "kind", "reason", "concern", "attachments_kept", "attachments_refused"]
    list_filter = ["kind", "reason"]
    list_select_related = ["concern"]
    search_fields = ["message_id", "concern__reference"]
    date_hierarchy = "at"
    fields = (
        "message_id",
        "kind",
        "reason",
        "detail",
        "concern",
        "attachments_kept",
        "attachments_refused",
        "received_at",
        "at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportedMail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportedMail | None = None) -> bool:
        return False  # the row is what keeps the mail from being taken in a second time
