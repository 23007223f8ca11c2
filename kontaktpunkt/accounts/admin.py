from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import ContactChannel, Membership, Unit, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


class ContactChannelInline(admin.TabularInline[ContactChannel, Unit]):
    model = ContactChannel
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    inlines = [MembershipInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Kontaktpunkt"), {"fields": ("display_name", "phone")}),
    )


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "short_name", "kind", "is_partner", "active"]
    list_filter = ["kind", "is_partner", "active"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [ContactChannelInline]
