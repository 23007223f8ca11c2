from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kontaktpunkt.intake.models import (
    Category,
    CategoryAttribute,
    Concern,
    ConcernEvent,
    IntakePoint,
)


class CategoryAttributeInline(admin.StackedInline[CategoryAttribute, Category]):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = [
        "name",
        "field",
        "group",
        "default_unit",
        "default_priority",
        "deadline_hours",
        "is_public",
        "open311_service_code",
        "active",
    ]
    list_filter = ["field", "group", "is_public", "active", "default_unit"]
    search_fields = ["name", "code", "synonyms", "open311_service_code"]
    inlines = [CategoryAttributeInline]


@admin.register(IntakePoint)
class IntakePointAdmin(admin.ModelAdmin[IntakePoint]):
    list_display = ["name", "kind", "address", "schedule", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["units"]


class ConcernEventInline(admin.TabularInline[ConcernEvent, Concern]):
    model = ConcernEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "actor", "changes", "text", "is_public"]

    def has_add_permission(self, request: HttpRequest, obj: Concern | None = None) -> bool:
        return False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin[Concern]):
    """Read-only in the admin: concerns are changed through the case screens, which keep the timeline."""

    list_display = [
        "reference",
        "reported_at",
        "channel",
        "category",
        "status",
        "priority",
        "responsible_unit",
        "district",
    ]
    list_filter = ["status", "channel", "priority", "category__field", "responsible_unit"]
    search_fields = ["reference", "description", "address"]
    date_hierarchy = "reported_at"
    list_select_related = ["category", "responsible_unit", "district"]
    inlines = [ConcernEventInline]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Concern | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Concern | None = None) -> bool:
        return False
