from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kontaktpunkt.core.jobs import job_discard, job_retry
from kontaktpunkt.core.models import Job, JobState, Schedule, ScheduleDate, ScheduleRule


class ScheduleRuleInline(admin.TabularInline[ScheduleRule, Schedule]):
    model = ScheduleRule
    extra = 0


class ScheduleDateInline(admin.TabularInline[ScheduleDate, Schedule]):
    model = ScheduleDate
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin[Schedule]):
    list_display = ["name", "closed_on_public_holidays"]
    search_fields = ["name"]
    inlines = [ScheduleRuleInline, ScheduleDateInline]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ["id", "kind", "state", "attempts", "run_after", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry_dead", "discard_dead"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Discard the selected failed jobs"))
    def discard_dead(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = sum(job_discard(job=job) for job in queryset.filter(state=JobState.DEAD))
        self.message_user(
            request,
            ngettext("%(count)d job discarded.", "%(count)d jobs discarded.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry_dead(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = 0
        for job in queryset.filter(state=JobState.DEAD):
            job_retry(job=job)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d job sent back to the queue.",
                "%(count)d jobs sent back to the queue.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
