"""Shared building blocks: opening schedules (the business-time calendar) and the durable job queue."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(models.Model):
    """A weekly opening or service schedule with seasons and dated exceptions.

    Intake points open by it; units count their deadlines in its hours.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    closed_on_public_holidays = models.BooleanField(_("closed on public holidays"), default=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduleRule(models.Model):
    """Open on one weekday from `opens` to `closes`, in the given months of the year (all when empty)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    months = models.JSONField(
        _("months"),
        default=list,
        blank=True,
        help_text=_("Months 1-12 in which the rule holds; empty means all year."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening rule")
        verbose_name_plural = _("opening rules")
        ordering = ["schedule", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="schedule_rule_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ScheduleDate(models.Model):
    """A dated exception: an extra opening (a dialogue day at a market) or a closure (`closed`)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dated opening or closure")
        verbose_name_plural = _("dated openings and closures")
        ordering = ["schedule", "date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed=True)
                | models.Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="schedule_date_open_has_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.note}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    DEAD = "dead", _("failed for good")
    DISCARDED = "discarded", _("discarded by an administrator")


class Job(models.Model):
    """One unit of background work, written in the transaction that caused it and run by the worker.

    A worker leases a job for a while; a job whose lease ran out is taken over by another worker.
    Failed jobs are retried with exponential backoff until `max_attempts`, then they are dead.
    """

    kind = models.CharField(_("kind"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True
    )
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=12)
    run_after = models.DateTimeField(_("run after"), default=timezone.now)
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "run_after"], name="job_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    def describe(self) -> dict[str, Any]:
        return {"id": self.pk, "kind": self.kind, "state": self.state, "attempts": self.attempts}


class RateLimitWindow(models.Model):
    """How often a bucket (an API key, an address, an e-mail) was used in one fixed time window."""

    bucket = models.CharField(_("bucket"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="rate_limit_unique_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_limit_window_idx")]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
