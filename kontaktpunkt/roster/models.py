"""The duty roster in the database: staff, shift types, demand rules, absences, wishes, and plans
with their versions and assignments.

The solver and the validator work on the plain values of `domain.py`; `selectors.plan_snapshot`
turns these rows into an `Instance` and a `Roster`, and `services` write the results back. Posts are
choices, not rows: the post allocation (`posts.py`) knows what each needs.
"""

from __future__ import annotations

import secrets
from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.intake.models import IntakePoint

MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
MAX_PLAN_DAYS = 366


def calendar_token_new() -> str:
    return secrets.token_urlsafe(32)


class Qualification(models.TextChoices):
    TEAM_LEAD = "team_lead", _("team lead")
    DESK = "desk", _("desk duty")
    DRIVER = "driver", _("driver")


class Post(models.TextChoices):
    """Where a person on a shift works (the values of `domain.Post`)."""

    PATROL_PAIR = "patrol_pair", _("patrol pair")
    TEAM_LEAD = "team_lead", _("team lead on duty")
    DESK = "desk", _("contact-point desk")
    MOBILE = "mobile", _("mobile station")


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("leave")
    SICKNESS = "sickness", _("sickness")
    TRAINING = "training", _("training")


class WishKind(models.TextChoices):
    DAY_OFF = "day_off", _("day off")
    SHIFT = "shift", _("only this shift")


class StaffMember(models.Model):
    """A person on a unit's duty roster; `user` when the person signs in (officers see their shifts)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff_members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    personnel_number = models.CharField(_("personnel number"), max_length=30)
    name = models.CharField(_("name"), max_length=150)
    weekly_hours = models.DecimalField(
        _("contract hours per week"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("39.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(60))],
    )
    team_lead = models.BooleanField(_("team lead"), default=False)
    desk = models.BooleanField(_("desk duty"), default=False)
    driver = models.BooleanField(_("driver"), default=False)
    preferred_partner = models.ForeignKey(
        "self",
        verbose_name=_("preferred patrol partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    calendar_token = models.CharField(
        _("calendar link secret"), max_length=64, unique=True, default=calendar_token_new
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["unit", "-team_lead", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "personnel_number"], name="roster_staff_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekly_minutes(self) -> int:
        return round(self.weekly_hours * MINUTES_PER_HOUR)

    @property
    def qualifications(self) -> frozenset[str]:
        held = {
            Qualification.TEAM_LEAD: self.team_lead,
            Qualification.DESK: self.desk,
            Qualification.DRIVER: self.driver,
        }
        return frozenset(str(q) for q, has in held.items() if has)


class ShiftType(models.Model):
    """A shift of the day. An end at or before the start crosses midnight; a split shift has an
    unpaid gap (`gap_start`-`gap_end`) between its two parts."""

    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]{1,4}$")],
        help_text=_("Letters and digits; the solver's key, e.g. E for early."),
    )
    name = models.CharField(_("name"), max_length=60)
    letter = models.CharField(
        _("letter"), max_length=2, help_text=_("Shown in the roster grid, e.g. F for early.")
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    gap_start = models.TimeField(_("unpaid gap from"), null=True, blank=True)
    gap_end = models.TimeField(_("unpaid gap until"), null=True, blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#fde68a",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")],
        help_text=_("Background in the grid, e.g. #fde68a."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["sort_order", "start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gap_start__isnull=True, gap_end__isnull=True)
                | Q(gap_start__isnull=False, gap_end__isnull=False, gap_start__lt=F("gap_end")),
                name="roster_shift_gap_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%H:%M}-{self.end:%H:%M})"

    def clean(self) -> None:
        if self.gap_start is None or self.gap_end is None:
            return
        start, end = _minute(self.start), _minute(self.end)
        end += MINUTES_PER_DAY if end <= start else 0
        if not start < _minute(self.gap_start) < _minute(self.gap_end) < end:
            raise ValidationError(_("The unpaid gap must lie between start and end."))

    @property
    def unpaid_minutes(self) -> int:
        if self.gap_start is None or self.gap_end is None:
            return 0
        return _minute(self.gap_end) - _minute(self.gap_start)


def _minute(moment: time) -> int:
    return moment.hour * MINUTES_PER_HOUR + moment.minute


class RosterPlan(models.Model):
    """A unit's roster for a horizon (four weeks, a month, a year), in versions."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roster_plans"
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("first day"))
    n_days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PLAN_DAYS)]
    )
    carry_in = models.JSONField(
        _("state before the first day"),
        default=dict,
        blank=True,
        help_text=_(
            "Per personnel number the last shift and the working days in a row before the first "
            "day; empty: taken from the published roster before."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(n_days__gte=1, n_days__lte=MAX_PLAN_DAYS), name="roster_plan_days"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.n_days - 1)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=d) for d in range(self.n_days)]


class DemandRule(models.Model):
    """How many people a post needs on a shift: on the weekdays and months given (all when empty)
    within the validity, or on one date (an event; dated rules replace the weekly ones of their post
    that day). With an intake point the rule holds only while its schedule is open during the shift.
    Several rules for the same post, shift and day: the highest numbers hold. Numbers are people
    (a patrol pair is two). Rules of a plan replace the unit's rules for that plan."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="demand_rules"
    )
    plan = models.ForeignKey(
        RosterPlan,
        verbose_name=_("roster"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="demand_rules",
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    shift_type = models.ForeignKey(
        ShiftType,
        verbose_name=_("shift type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every shift."),
    )
    weekdays = models.JSONField(
        _("weekdays"),
        default=list,
        blank=True,
        help_text=_("0 = Monday … 6 = Sunday; empty means every day."),
    )
    months = models.JSONField(
        _("months"),
        default=list,
        blank=True,
        help_text=_("Months 1-12 in which the rule holds; empty means all year."),
    )
    on_date = models.DateField(_("on date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    intake_point = models.ForeignKey(
        IntakePoint,
        verbose_name=_("while open"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minimum = models.PositiveSmallIntegerField(_("minimum staffing"))
    target = models.PositiveSmallIntegerField(_("target staffing"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("demand rule")
        verbose_name_plural = _("demand rules")
        ordering = ["unit", "plan", "post", "on_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=F("minimum")), name="roster_demand_target_at_least_min"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()}: {self.minimum}/{self.target}"


class Absence(models.Model):
    """Days away from the roster, both days included. `credit_minutes` per day, when given,
    replace what a day is credited towards the contract hours (a sick call: the planned shift)."""

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    credit_minutes = models.PositiveIntegerField(_("credited minutes a day"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["staff", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")), name="roster_absence_order"
            )
        ]
        indexes = [models.Index(fields=["first_day", "last_day"], name="roster_absence_days_idx")]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_kind_display()} {self.first_day:%d.%m.}-{self.last_day:%d.%m.%Y}"


class Wish(models.Model):
    """A day off, or only one shift on a day (a soft goal of the solver)."""

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="wishes"
    )
    day = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=WishKind.choices, default=WishKind.DAY_OFF
    )
    shift_type = models.ForeignKey(
        ShiftType, verbose_name=_("shift type"), on_delete=models.CASCADE, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["staff", "day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=WishKind.DAY_OFF, shift_type__isnull=True)
                | Q(kind=WishKind.SHIFT, shift_type__isnull=False),
                name="roster_wish_shift_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_kind_display()} {self.day:%d.%m.%Y}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class RosterVersion(models.Model):
    """One version of a plan: at most one draft (the working copy) and one published version."""

    plan = models.ForeignKey(
        RosterPlan, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster version")
        verbose_name_plural = _("roster versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="roster_version_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status=VersionStatus.DRAFT),
                name="roster_version_one_draft",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="roster_version_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number} ({self.get_status_display()})"


class Assignment(models.Model):
    """A duty (Dienst): one person on one shift and post on one day of a version."""

    version = models.ForeignKey(
        RosterVersion,
        verbose_name=_("roster version"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    day = models.DateField(_("date"))
    shift_type = models.ForeignKey(
        ShiftType, verbose_name=_("shift type"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, blank=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["version", "day", "staff"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "staff", "day"], name="roster_assignment_one_a_day"
            )
        ]
        indexes = [models.Index(fields=["staff", "day"], name="roster_assignment_staff_day")]

    def __str__(self) -> str:
        return f"{self.staff} {self.day:%d.%m.%Y} {self.shift_type.code}"


class RunState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


OUTCOME_LABELS = {
    "optimal": _("optimal: every rule met, no better roster exists"),
    "feasible": _("every rule met (optimality not proven within the time limit)"),
    "short": _("the minimum staffing cannot be met everywhere"),
    "no_solution": _("no roster found"),
}


class SolveRun(models.Model):
    """One solve of a plan by the worker, with its progress while it runs."""

    plan = models.ForeignKey(
        RosterPlan, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="solve_runs"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=RunState.choices, default=RunState.QUEUED
    )
    time_limit_s = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    progress = models.CharField(_("progress"), max_length=300, blank=True)
    solutions = models.PositiveIntegerField(_("solutions"), default=0)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    violations = models.PositiveIntegerField(_("violations"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster calculation")
        verbose_name_plural = _("roster calculations")
        ordering = ["plan", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome, self.outcome))


class EventKind(models.TextChoices):
    CREATED = "created", _("created")
    IMPORTED = "imported", _("imported")
    SOLVED = "solved", _("calculated")
    EDITED = "edited", _("edited")
    REPLANNED = "replanned", _("re-planned after a sick call")
    PUBLISHED = "published", _("published")


class RosterEvent(models.Model):
    """The audit trail of a plan: who changed what when (cells as [staff, day, before, after])."""

    plan = models.ForeignKey(
        RosterPlan, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="events"
    )
    version = models.ForeignKey(
        RosterVersion,
        verbose_name=_("roster version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("roster event")
        verbose_name_plural = _("roster events")
        ordering = ["plan", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
