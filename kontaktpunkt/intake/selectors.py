"""Reads on concerns and intake points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from kontaktpunkt.accounts.models import User
from kontaktpunkt.accounts.permissions import Perm, units_with_perm, user_has_perm
from kontaktpunkt.core.business_time import ScheduleSpec, add_business_hours, operating_days
from kontaktpunkt.core.selectors import default_office_spec, schedule_spec
from kontaktpunkt.intake.models import Concern, IntakePoint


def concern_due_at(
    concern: Concern, *, specs: dict[int, ScheduleSpec] | None = None
) -> datetime | None:
    """The deadline: the category's business hours counted in the responsible unit's service hours.

    `specs` remembers schedules already read (by schedule id) across calls of one batch.
    """
    if concern.category is None:
        return None
    unit = concern.responsible_unit
    schedule_id = unit.service_schedule_id if unit is not None else None
    known = specs if specs is not None else {}
    if schedule_id is not None and schedule_id in known:
        spec = known[schedule_id]
    elif unit is not None and (schedule := unit.service_schedule) is not None:
        spec = known[schedule.pk] = schedule_spec(schedule)
    else:
        spec = default_office_spec(settings.KP_STATE_HOLIDAYS)
    return add_business_hours(
        spec,
        concern.reported_at,
        float(concern.category.deadline_hours),
        ZoneInfo(settings.TIME_ZONE),
    )


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    """The concerns `user` may see: all (non-confidential) ones, or those of their units."""
    base = Concern.objects.select_related(
        "category", "responsible_unit", "assignee", "intake_point", "district"
    )
    if user_has_perm(user, Perm.CONCERN_VIEW_ALL):
        return base
    units = units_with_perm(user, Perm.CONCERN_VIEW_UNIT)
    if not units:
        return base.none()
    return base.filter(Q(responsible_unit_id__in=units) | Q(assignee=user))


@dataclass(frozen=True)
class OperatingDayFigures:
    """Concerns taken at one intake point over a period, per operating day."""

    intake_point: IntakePoint
    start: date
    end: date
    operating_days: list[date]
    concerns: int
    concerns_by_day: dict[date, int]

    @property
    def per_operating_day(self) -> float:
        return self.concerns / len(self.operating_days) if self.operating_days else 0.0


def concerns_per_operating_day(
    *, start: date, end: date, intake_points: QuerySet[IntakePoint] | None = None
) -> list[OperatingDayFigures]:
    """Concerns per operating day of each intake point between `start` and `end` (both inclusive).

    Operating days come from each intake point's opening schedule and the state's public holidays.
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    points = (
        (intake_points if intake_points is not None else IntakePoint.objects.all())
        .select_related("schedule")
        .prefetch_related("schedule__rules", "schedule__dates")
    )
    window_start = datetime.combine(start, time.min, tzinfo=tz)
    window_end = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    rows = (
        Concern.objects.filter(
            intake_point__in=[p.pk for p in points],
            reported_at__gte=window_start,
            reported_at__lt=window_end,
        )
        .annotate(day=TruncDate("reported_at", tzinfo=tz))
        .values("intake_point_id", "day")
        .annotate(n=Count("id"))
    )
    by_point: dict[int, dict[date, int]] = {}
    for row in rows:
        by_point.setdefault(row["intake_point_id"], {})[row["day"]] = row["n"]
    figures = []
    for point in points:
        days = operating_days(schedule_spec(point.schedule), start, end)
        counts = by_point.get(point.pk, {})
        figures.append(
            OperatingDayFigures(
                intake_point=point,
                start=start,
                end=end,
                operating_days=days,
                concerns=sum(counts.values()),
                concerns_by_day=counts,
            )
        )
    return figures
