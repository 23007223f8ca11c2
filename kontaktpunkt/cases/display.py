"""What the case detail shows, in German: timeline entries with before → after, the deadline, and
the classifier's proposal noted when the concern came in by e-mail or Open311.

Reads only; values in, display values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.core.business_time import business_hours_between
from kontaktpunkt.core.selectors import default_office_spec, schedule_spec
from kontaktpunkt.intake.models import (
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    Priority,
    Status,
)
from kontaktpunkt.intake.proposals import EXTRA_KEY
from kontaktpunkt.intake.suggest import REASONS

_EXTRA_LABELS: dict[str, str | Promise] = {
    "attachment": _("attachment"),
    "notified": _("notified"),
    "duplicates": _("duplicate"),
}
_CHOICES: dict[str, Any] = {"status": Status, "priority": Priority, "channel": Channel}
_MOMENTS = {"due_at", "escalated_at", "resolved_at", "closed_at", "reported_at"}
EMPTY = "\u2013"  # en dash


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    @property
    def has_before(self) -> bool:
        return self.before != EMPTY


@dataclass(frozen=True)
class TimelineEntry:
    event: ConcernEvent
    kind_label: str
    actor: str
    changes: list[Change]

    @property
    def is_internal_note(self) -> bool:
        return self.event.kind == EventKind.NOTE

    @property
    def is_public_reply(self) -> bool:
        return self.event.kind == EventKind.REPLY


def timeline(
    concern: Concern, *, include_internal: bool, since_version: int | None = None
) -> list[TimelineEntry]:
    """The concern's events, newest first; internal notes only for `include_internal`."""
    events: QuerySet[ConcernEvent] = concern.events.select_related("actor")
    if not include_internal:
        events = events.exclude(kind=EventKind.NOTE)
    if since_version is not None:
        events = events.filter(version__gt=since_version)
    return [_entry(event) for event in events.order_by("-at", "-id")]


def _entry(event: ConcernEvent) -> TimelineEntry:
    return TimelineEntry(
        event=event,
        kind_label=str(event.get_kind_display()),
        actor=str(event.actor) if event.actor else str(_("System")),
        changes=[
            Change(
                label=field_label(name),
                before=value_display(name, pair[0] if pair else None),
                after=value_display(name, pair[1] if len(pair) > 1 else None),
            )
            for name, pair in (event.changes or {}).items()
            if isinstance(pair, list)
        ],
    )


def field_label(name: str) -> str:
    if name in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[name])
    try:
        field = Concern._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def value_display(name: str, value: Any) -> str:
    """A stored timeline value as German text."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return str(value.get("label", value.get("id", EMPTY)))
    if isinstance(value, list):
        return ", ".join(value_display(name, item) for item in value)
    if name in _CHOICES:
        try:
            return str(_CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if name in _MOMENTS and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    return str(value)


@dataclass(frozen=True)
class Deadline:
    """The deadline of an open concern, with what is left of it in business hours."""

    due_at: datetime
    overdue: bool
    business_hours_left: float
    overdue_for: timedelta


def deadline(concern: Concern, *, now: datetime | None = None) -> Deadline | None:
    """The deadline counted in the responsible unit's service hours; None when closed or without one."""
    if concern.due_at is None or not concern.is_open:
        return None
    moment = now or timezone.now()
    unit = concern.responsible_unit
    spec = (
        schedule_spec(unit.service_schedule)
        if unit is not None and unit.service_schedule is not None
        else default_office_spec(settings.KP_STATE_HOLIDAYS)
    )
    left = business_hours_between(spec, moment, concern.due_at, ZoneInfo(settings.TIME_ZONE))
    overdue = concern.due_at <= moment
    return Deadline(
        due_at=concern.due_at,
        overdue=overdue,
        business_hours_left=max(left, 0.0),
        overdue_for=moment - concern.due_at if overdue else timedelta(),
    )


@dataclass(frozen=True)
class Offer:
    name: str
    percent: int


@dataclass(frozen=True)
class Proposal:
    """The classifier's proposal as noted at intake (intake.proposals), for staff to judge."""

    offers: list[Offer]  # best first
    urgency_label: str
    reason_labels: list[str]
    taken: bool  # the best category was taken as the concern's category
    doubt: bool  # the given category (Open311) seems unlikely for the text
    given_percent: int | None  # the confidence of the given category


def proposal(concern: Concern) -> Proposal | None:
    """The proposal noted on the concern, or None (recorded at the desk, or before it was kept)."""
    extra = concern.extra if isinstance(concern.extra, dict) else {}
    note = extra.get(EXTRA_KEY)
    if not isinstance(note, dict) or not note.get("candidates"):
        return None
    try:
        offers = [
            Offer(name=str(c["name"]), percent=round(float(c["confidence"]) * 100))
            for c in note["candidates"]
        ]
        urgency = str(Priority(int(note["urgency"])).label)
    except (KeyError, TypeError, ValueError):
        return None
    given = note.get("given_confidence")
    return Proposal(
        offers=offers,
        urgency_label=urgency,
        reason_labels=[str(REASONS[r]) for r in note.get("reasons", []) if r in REASONS],
        taken=bool(note.get("taken")),
        doubt=bool(note.get("doubt")),
        given_percent=round(float(given) * 100) if isinstance(given, int | float) else None,
    )
