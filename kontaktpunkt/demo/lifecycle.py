"""The life of a demo concern: triage, assignment or forwarding, work, resolution, closure.

`lifecycle_plan` is pure: from a concern's draft, the people who work on it and the world's "now" it
plans its status, timestamps and timeline events. Times are counted in the responsible unit's business
hours, so an order-service concern is dealt with in hours and a pothole at the city works in days;
most concerns meet their deadline, some do not, a few get stuck. Nothing happens after `now`: a
concern reported shortly before it is still open.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kontaktpunkt.core.business_time import ScheduleSpec, add_business_hours
from kontaktpunkt.demo.texts import (
    note_text,
    partner_update_text,
    reject_reason,
    reply_text,
)

OUTSIDE_CITY_REASON = "Die Stelle liegt außerhalb des Stadtgebiets."
STAFF_CHANNELS = frozenset({"walk_in", "phone", "field"})


@dataclass(frozen=True)
class Person:
    id: int
    label: str

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True)
class UnitRef:
    id: int
    slug: str
    label: str
    is_partner: bool
    spec: ScheduleSpec

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True)
class Staff:
    """Who works on demo concerns: desk clerks, officers, leads, streetworkers, partners by unit."""

    desk: tuple[Person, ...]
    officers: tuple[Person, ...]
    leads: tuple[Person, ...]
    streetworkers: tuple[Person, ...]
    partners: dict[str, tuple[Person, ...]] = field(default_factory=dict)

    def workers(self, unit: UnitRef) -> tuple[Person, ...]:
        if unit.slug == "streetwork":
            return self.streetworkers
        if unit.is_partner:
            return ()
        return self.officers

    def dispatcher(self, rng: random.Random, unit: UnitRef) -> Person:
        if unit.slug == "streetwork" and self.streetworkers:
            return rng.choice(self.streetworkers)
        return rng.choice(self.leads if unit.slug == "kod" or not self.desk else self.desk)


@dataclass
class Draft:
    """What is known of a concern when it is reported."""

    reported_at: datetime
    channel: str
    category_id: int
    category_code: str
    category_label: str
    field: str
    unit: UnitRef
    deadline_hours: float
    priority: int
    needs_help: bool
    public_category: bool
    address: str
    created_by: Person | None = None
    has_contact: bool = False
    wants_updates: bool = False
    outside_city: bool = False
    duplicate_of: int | None = None  # index of the original in the world's list
    duplicate_reference: str = ""


@dataclass
class PlannedEvent:
    kind: str
    at: datetime
    actor: Person | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    public: bool = False


@dataclass
class Lifecycle:
    status: str
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    assignee: Person | None
    is_public: bool
    events: list[PlannedEvent]

    @property
    def version(self) -> int:
        return len(self.events)


def snapshot(draft: Draft) -> dict[str, list[Any]]:
    """The created event's changes, in the shape concern_submit writes them."""
    return {
        "channel": [None, draft.channel],
        "category": [None, {"id": draft.category_id, "label": draft.category_label}],
        "priority": [None, draft.priority],
        "status": [None, "new"],
        "responsible_unit": [None, draft.unit.ref()],
        "address": [None, draft.address],
        "needs_help": [None, draft.needs_help],
    }


class _Timeline:
    """Collects events in time order and refuses those after `now`."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.events: list[PlannedEvent] = []
        self.status = "new"
        self.closed = False

    @property
    def last(self) -> datetime:
        return self.events[-1].at

    def add(self, event: PlannedEvent) -> bool:
        if self.closed:
            return False
        if self.events and event.at <= self.last:
            event.at = self.last + timedelta(seconds=30)
        if event.at > self.now:
            self.closed = True
            return False
        self.events.append(event)
        return True

    def status_to(
        self,
        status: str,
        at: datetime,
        actor: Person | None,
        *,
        kind: str = "status",
        text: str = "",
        extra: dict[str, Any] | None = None,
    ) -> bool:
        changes = {**(extra or {}), "status": [self.status, status]}
        if self.add(PlannedEvent(kind, at, actor, changes, text)):
            self.status = status
            return True
        return False


def lifecycle_plan(
    rng: random.Random,
    draft: Draft,
    *,
    staff: Staff,
    now: datetime,
    tz: ZoneInfo,
) -> Lifecycle:
    """Plan what happened to a concern between its report and `now`."""
    unit, start = draft.unit, draft.reported_at

    def after(hours: float) -> datetime:
        moment = add_business_hours(unit.spec, start, max(hours, 0.0), tz)
        return moment.replace(microsecond=0)

    due = after(draft.deadline_hours)
    tl = _Timeline(now)
    tl.add(PlannedEvent("created", start, draft.created_by, snapshot(draft)))
    field_report = draft.channel == "field"
    # Business hours until it is dealt with: mostly within the deadline, a long tail beyond it.
    handling = draft.deadline_hours * math.exp(rng.gauss(-0.45, 0.75))
    handling = max(0.25, min(handling, 12 * draft.deadline_hours))
    if field_report:
        handling = min(handling, rng.uniform(0.1, 1.0))
    triage_at = after(min(0.15 * handling, rng.uniform(0.05, 1.5)))
    if triage_at <= start:
        triage_at = start + timedelta(minutes=rng.randint(1, 20))
    dispatcher = (
        draft.created_by if field_report and draft.created_by else staff.dispatcher(rng, unit)
    )
    assignee: Person | None = None

    if draft.duplicate_of is not None:
        merge_at = start + timedelta(minutes=rng.randint(10, 240))
        tl.status_to("duplicate", merge_at, dispatcher, kind="merged")
        if tl.status == "duplicate" and draft.has_contact:
            text = reply_text(rng, kind="duplicate", reference=draft.duplicate_reference)
            tl.add(
                PlannedEvent(
                    "reply", merge_at + timedelta(minutes=2), dispatcher, text=text, public=True
                )
            )
        return _finish(tl, draft, due, assignee, rng)

    if not tl.status_to("triaged", triage_at, dispatcher):
        return _finish(tl, draft, due, assignee, rng)
    rejected = draft.outside_city or rng.random() < 0.035
    if rejected:
        reason = OUTSIDE_CITY_REASON if draft.outside_city else reject_reason(rng)
        reject_at = triage_at + timedelta(minutes=rng.randint(2, 90))
        if tl.status_to("rejected", reject_at, dispatcher):
            tl.add(PlannedEvent("note", reject_at, dispatcher, text=reason))
            if draft.has_contact:
                text = reply_text(rng, kind="rejected", reason=reason)
                tl.add(PlannedEvent("reply", reject_at, dispatcher, text=text, public=True))
        return _finish(tl, draft, due, assignee, rng)

    if draft.wants_updates and rng.random() < 0.5:
        kind = "forwarded" if unit.is_partner else "received"
        text = reply_text(rng, kind=kind, unit=unit.label)
        tl.add(PlannedEvent("reply", triage_at, dispatcher, text=text, public=True))
    assign_at = max(after(0.25 * handling), triage_at + timedelta(minutes=1))
    workers = staff.workers(unit)
    if unit.is_partner:
        channel = "Open311" if unit.slug == "city-works" else "E-Mail"
        text = f"Weitergeleitet an {unit.label} ({channel})."
        tl.status_to("waiting_partner", assign_at, dispatcher, kind="forwarded", text=text)
    elif workers:
        if field_report and draft.created_by is not None:
            assignee = draft.created_by
        else:
            assignee = rng.choice(workers)
        extra = {"assignee": [None, assignee.ref()]}
        if tl.status_to("assigned", assign_at, dispatcher, kind="assigned", extra=extra):
            work_at = max(after(0.4 * handling), assign_at + timedelta(minutes=1))
            tl.status_to("in_progress", work_at, assignee)
        else:
            assignee = None
    for _ in range(rng.choices((0, 1, 2), (0.6, 0.3, 0.1))[0]):
        note_at = after(rng.uniform(0.3, 0.95) * handling)
        tl.add(
            PlannedEvent(
                "note", note_at, assignee or dispatcher, text=note_text(rng, field=draft.field)
            )
        )

    if rng.random() < 0.03:  # stuck: never dealt with
        return _finish(tl, draft, due, assignee, rng)
    resolved_at = max(after(handling), tl.last + timedelta(minutes=1))
    if unit.is_partner:
        partners = staff.partners.get(unit.slug, ())
        actor = rng.choice(partners) if partners and rng.random() < 0.5 else None
        text = partner_update_text(rng, unit_slug=unit.slug)
        done = tl.status_to("resolved", resolved_at, actor, kind="partner_update", text=text)
    else:
        done = tl.status_to("resolved", resolved_at, assignee or dispatcher)
    if not done:
        return _finish(tl, draft, due, assignee, rng)
    if rng.random() < (0.9 if draft.wants_updates else 0.15):
        text = reply_text(rng, kind="resolved")
        reply_at = resolved_at + timedelta(minutes=rng.randint(1, 120))
        tl.add(PlannedEvent("reply", reply_at, assignee or dispatcher, text=text, public=True))
    if rng.random() < 0.85:
        close_at = tl.last + timedelta(seconds=rng.randint(12 * 3600, 240 * 3600))
        tl.status_to("closed", close_at, staff.dispatcher(rng, unit))
    return _finish(tl, draft, due, assignee, rng)


def _status_time(events: Sequence[PlannedEvent], status: str) -> datetime | None:
    for event in reversed(events):
        change = event.changes.get("status")
        if change and change[1] == status:
            return event.at
    return None


def _finish(
    tl: _Timeline, draft: Draft, due: datetime, assignee: Person | None, rng: random.Random
) -> Lifecycle:
    status = tl.status
    resolved_at = _status_time(tl.events, "resolved") if status in {"resolved", "closed"} else None
    closed_at = _status_time(tl.events, "closed") if status == "closed" else None
    public = (
        draft.public_category
        and status not in {"new", "rejected", "duplicate"}
        and rng.random() < 0.75
    )
    return Lifecycle(
        status=status,
        due_at=due,
        resolved_at=resolved_at,
        closed_at=closed_at,
        updated_at=tl.last,
        assignee=assignee,
        is_public=public,
        events=tl.events,
    )
