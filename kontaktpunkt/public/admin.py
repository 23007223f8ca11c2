from __future__ import annotations

from django.contrib import admin

from kontaktpunkt.public.models import Moderation, PublicSubmission


@admin.register(PublicSubmission)
class PublicSubmissionAdmin(admin.ModelAdmin[PublicSubmission]):
    list_display = ["concern", "created_at"]
    readonly_fields = ["key", "concern", "created_at"]


@admin.register(Moderation)
class ModerationAdmin(admin.ModelAdmin[Moderation]):
    list_display = ["concern", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    readonly_fields = ["concern", "decision", "decided_by", "decided_at"]
