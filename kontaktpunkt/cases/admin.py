from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.cases.models import Attachment, ReplyTemplate, SavedFilter


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin[ReplyTemplate]):
    list_display = ["name", "active", "sort_order"]
    list_editable = ["active", "sort_order"]
    list_filter = ["active"]
    search_fields = ["name", "body"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "body", "active", "sort_order"],
                "description": _(
                    "Placeholders filled in when the template is used: {reference}, {category}, "
                    "{status}, {unit}, {date}. Unknown placeholders stay as they are."
                ),
            },
        )
    ]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    """Read-only: attachments are added on the case page, where they are checked and re-encoded."""

    list_display = [
        "original_name",
        "concern",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["content_type", "is_public"]
    search_fields = ["original_name", "concern__reference", "sha256"]
    list_select_related = ["concern", "uploaded_by"]
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Attachment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Attachment | None = None) -> bool:
        return False


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin[SavedFilter]):
    list_display = ["name", "owner", "query", "created_at"]
    search_fields = ["name", "owner__username", "owner__display_name"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
