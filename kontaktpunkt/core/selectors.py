"""Reads on schedules: the ORM rows turned into the pure `ScheduleSpec` of the business-time calendar."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, QuerySet

from kontaktpunkt.core.business_time import (
    DatedClosure,
    DatedOpening,
    ScheduleSpec,
    WeeklyRule,
    weekly_rules,
)
from kontaktpunkt.core.models import Job, JobState, Schedule

OFFICE_OPENS = time(8)
OFFICE_CLOSES = time(16)


def schedule_list() -> QuerySet[Schedule]:
    """All schedules with their rules and dates prefetched, ready for `schedule_spec`."""
    return Schedule.objects.prefetch_related("rules", "dates")


@lru_cache(maxsize=256)
def _shared_spec(
    rules: tuple[WeeklyRule, ...],
    openings: tuple[DatedOpening, ...],
    closures: tuple[DatedClosure, ...],
    closed_on_public_holidays: bool,
    state: str,
) -> ScheduleSpec:
    # Equal schedules share one spec, and with it the spec's memo of computed days.
    return ScheduleSpec(
        rules=rules,
        openings=openings,
        closures=closures,
        closed_on_public_holidays=closed_on_public_holidays,
        state=state,
    )


def schedule_spec(schedule: Schedule, *, state: str | None = None) -> ScheduleSpec:
    """The schedule's rules and dated exceptions as a `ScheduleSpec`.

    Holidays are those of `state`, by default the installation's ``KP_STATE_HOLIDAYS``. Uses the
    rows prefetched by `schedule_list` when there are any, two queries otherwise.
    """
    rules = tuple(
        WeeklyRule(
            weekday=row.weekday,
            opens=row.opens,
            closes=row.closes,
            months=frozenset(int(month) for month in row.months or ()),
            valid_from=row.valid_from,
            valid_until=row.valid_until,
        )
        for row in schedule.rules.all()
    )
    openings: list[DatedOpening] = []
    closures: list[DatedClosure] = []
    for row in schedule.dates.all():
        if row.closed:
            closures.append(DatedClosure(row.date))
        elif row.opens is not None and row.closes is not None:
            openings.append(DatedOpening(row.date, row.opens, row.closes))
    return _shared_spec(
        rules,
        tuple(openings),
        tuple(closures),
        schedule.closed_on_public_holidays,
        state or settings.KP_STATE_HOLIDAYS,
    )


def default_office_spec(state: str | None = None) -> ScheduleSpec:
    """Office hours Monday to Friday 08:00-16:00, closed on public holidays.

    For units without a service schedule of their own.
    """
    return _shared_spec(
        weekly_rules(range(5), OFFICE_OPENS, OFFICE_CLOSES),
        (),
        (),
        True,
        state or settings.KP_STATE_HOLIDAYS,
    )


def outbox_counts() -> dict[str, int]:
    """How many jobs wait, run and failed for good (the dead letters), for the overview."""
    rows = (
        Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING, JobState.DEAD])
        .values("state")
        .annotate(count=Count("id"))
    )
    counts = {str(state): 0 for state in (JobState.QUEUED, JobState.RUNNING, JobState.DEAD)}
    counts.update({str(row["state"]): int(row["count"]) for row in rows})
    return counts
