"""The roster's configuration in the admin: staff, shift types, demand rules, absences, wishes.
Plans, versions and duties are read-only here: they change through the roster pages, which
validate and keep the audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kontaktpunkt.roster.models import (
    Absence,
    DemandRule,
    RosterEvent,
    RosterPlan,
    ShiftType,
    StaffMember,
    Wish,
)


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin[StaffMember]):
    list_display = [
        "name",
        "personnel_number",
        "unit",
        "weekly_hours",
        "team_lead",
        "desk",
        "driver",
        "active",
    ]
    list_filter = ["unit", "team_lead", "desk", "driver", "active"]
    search_fields = ["name", "personnel_number", "user__username"]
    autocomplete_fields = ["user", "preferred_partner"]
    exclude = ["calendar_token"]


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin[ShiftType]):
    list_display = [
        "code",
        "name",
        "letter",
        "start",
        "end",
        "gap_start",
        "gap_end",
        "active",
        "sort_order",
    ]
    list_editable = ["active", "sort_order"]


@admin.register(DemandRule)
class DemandRuleAdmin(admin.ModelAdmin[DemandRule]):
    list_display = [
        "post",
        "shift_type",
        "unit",
        "plan",
        "minimum",
        "target",
        "on_date",
        "intake_point",
        "note",
    ]
    list_filter = ["unit", "post", "shift_type"]
    list_select_related = ["unit", "plan", "shift_type", "intake_point"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin[Absence]):
    list_display = ["staff", "kind", "first_day", "last_day", "note"]
    list_filter = ["kind"]
    search_fields = ["staff__name", "staff__personnel_number"]
    date_hierarchy = "first_day"
    list_select_related = ["staff"]
    exclude = ["created_by", "created_at"]


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin[Wish]):
    list_display = ["staff", "day", "kind", "shift_type"]
    list_filter = ["kind"]
    search_fields = ["staff__name"]
    list_select_related = ["staff", "shift_type"]


@admin.register(RosterPlan)
class RosterPlanAdmin(admin.ModelAdmin[RosterPlan]):
    list_display = ["name", "unit", "start", "n_days", "created_at"]
    list_filter = ["unit"]
    readonly_fields = ["unit", "start", "n_days", "carry_in", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(RosterEvent)
class RosterEventAdmin(admin.ModelAdmin[RosterEvent]):
    list_display = ["plan", "kind", "version", "actor", "at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in RosterEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RosterEvent | None = None) -> bool:
        return False
