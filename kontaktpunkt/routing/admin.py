"""Routing rules and forwarding targets are configured by administrators; forwards are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.routing.models import Forward, ForwardTarget, RoutingDecision, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["name", "order", "active", "category", "field", "area", "zone", "unit"]
    list_editable = ["order", "active"]
    list_filter = ["active", "field", "unit"]
    search_fields = ["name"]
    autocomplete_fields = ["zone"]
    fieldsets = [
        (None, {"fields": ["name", "order", "active", "unit"]}),
        (_("What"), {"fields": ["category", "field"]}),
        (_("Where"), {"fields": ["area", "zone"]}),
        (_("When"), {"fields": ["weekdays", "time_from", "time_until", "months"]}),
    ]


@admin.register(ForwardTarget)
class ForwardTargetAdmin(admin.ModelAdmin[ForwardTarget]):
    list_display = ["unit", "kind", "active", "endpoint", "email"]
    list_filter = ["kind", "active"]


@admin.register(Forward)
class ForwardAdmin(admin.ModelAdmin[Forward]):
    list_display = ["concern", "target", "state", "partner_request_id", "partner_status", "sent_at"]
    list_filter = ["state", "target"]
    search_fields = ["concern__reference", "partner_request_id"]
    readonly_fields = [field.name for field in Forward._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(admin.ModelAdmin[RoutingDecision]):
    list_display = ["concern", "unit", "reason", "at"]
    search_fields = ["concern__reference"]
    readonly_fields = ["concern", "rule", "unit", "reason", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
