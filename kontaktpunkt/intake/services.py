"""Writes on concerns. Every change writes its timeline event in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.classify.services import correction_record
from kontaktpunkt.core.business_time import ScheduleSpec
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.geo.models import Zone
from kontaktpunkt.geo.resolve import Resolution, resolve_point
from kontaktpunkt.geo.selectors import place_index
from kontaktpunkt.intake.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    IntakePoint,
    Priority,
    ReferenceCounter,
    ReporterContact,
    Status,
)
from kontaktpunkt.intake.selectors import concern_due_at
from kontaktpunkt.intake.suggest import suggested_code


@dataclass(frozen=True)
class ReporterInput:
    name: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False
    wants_updates: bool = False


@dataclass(frozen=True)
class ConcernInput:
    channel: Channel
    description: str
    category: Category | None = None
    intake_point: IntakePoint | None = None
    priority: Priority | None = None
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    needs_help: bool = False
    reporter: ReporterInput | None = None
    reported_at: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # A reference reserved beforehand (the Open311 inbox reserves it when it accepts a request).
    reference: str | None = None
    # The partner's number of the same matter, when the reporter already reported it there.
    partner_reference: str = ""


def concern_reference_block(*, year: int, count: int) -> list[str]:
    """Reserve `count` consecutive references `<prefix>-<year>-<6 digits>` for `year`.

    Safe under concurrency: one upsert adds `count` to the year's counter row and returns the new last
    number; the row stays locked until the caller's transaction ends, so two callers never get the same
    number and a rolled-back caller leaves no gap.
    """
    if count < 1:
        return []
    prefix = settings.KP_REFERENCE_PREFIX
    connection = connections[router.db_for_write(ReferenceCounter)]
    with connection.cursor() as cursor:
        cursor.execute(reference_counter_upsert_sql(connection), [prefix, year, count])
        row = cursor.fetchone()
    last = int(row[0])
    first = last - count + 1
    return [reference_format(prefix, year, number) for number in range(first, last + 1)]


def reference_format(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def reference_counter_upsert_sql(connection: BaseDatabaseWrapper, *, source: str = "") -> str:
    """INSERT … ON CONFLICT … DO UPDATE … RETURNING on the counter (PostgreSQL and SQLite 3.35+).

    Parameters: prefix, year, count. With `source` (a FROM clause, e.g. a CTE name), the row is only
    counted up when the source yields a row; PostgreSQL's Open311 accept uses that to reserve a number
    only for an active API key.
    """
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    prefix, year, last = quote("prefix"), quote("year"), quote("last_number")
    # identifiers come from the model's meta and the caller's code, quoted; values are parameters
    values = f"SELECT %s, %s, %s FROM {source} WHERE true" if source else "VALUES (%s, %s, %s)"  # noqa: S608
    return (
        f"INSERT INTO {table} ({prefix}, {year}, {last}) {values} "
        f"ON CONFLICT ({prefix}, {year}) DO UPDATE SET {last} = {table}.{last} + excluded.{last} "
        f"RETURNING {last}"
    )


def concern_submit(*, data: ConcernInput, by: User | None) -> Concern:
    """Record a new concern from any channel, resolve its place, and write its first timeline event."""
    (concern,) = concerns_submit(inputs=[data], by=by)
    return concern


def concerns_submit(*, inputs: Sequence[ConcernInput], by: User | None) -> list[Concern]:
    """Record new concerns in one transaction, one insert per table for all of them.

    What concern_submit does for one (it is this for a list of one); the worker takes the Open311
    inbox in this way. Places are resolved before the transaction; each schedule is read once.
    """
    if not inputs:
        return []
    now = timezone.now()
    places = [_resolve(data.lat, data.lon) for data in inputs]
    specs: dict[int, ScheduleSpec] = {}
    # The one call upwards (docs/architecture.md): routing decides the unit before the insert and
    # keeps its decisions and the forwards in the same transaction.
    from kontaktpunkt.routing.services import concerns_route, routing_record

    with transaction.atomic():
        references = _references(inputs, now)
        concerns = [
            _concern_new(data, reference, place, by=by, now=now)
            for data, reference, place in zip(inputs, references, places, strict=True)
        ]
        rules = concerns_route(concerns, [place.zone_ids if place else () for place in places])
        for concern in concerns:
            concern.due_at = concern_due_at(concern, specs=specs)
        Concern.objects.bulk_create(concerns)
        through = Concern.zones.through
        through.objects.bulk_create(
            through(concern_id=concern.pk, zone_id=zone_id)
            for concern, place in zip(concerns, places, strict=True)
            if place is not None
            for zone_id in place.zone_ids
        )
        ReporterContact.objects.bulk_create(
            _reporter_new(concern, data.reporter, now)
            for concern, data in zip(concerns, inputs, strict=True)
            if data.reporter and (data.reporter.name or data.reporter.email or data.reporter.phone)
        )
        ConcernEvent.objects.bulk_create(
            _event_new(
                concern,
                EventKind.CREATED,
                by=by,
                at=concern.reported_at,
                changes=_snapshot(concern),
            )
            for concern in concerns
        )
        routing_record(concerns, rules, at=now)
    return concerns


def _references(inputs: Sequence[ConcernInput], now: datetime) -> list[str]:
    """The given references, and for the others a block per year of reporting, in input order."""
    years = [timezone.localtime(data.reported_at or now).year for data in inputs]
    wanted: dict[int, int] = {}
    for data, year in zip(inputs, years, strict=True):
        if not data.reference:
            wanted[year] = wanted.get(year, 0) + 1
    blocks = {year: iter(concern_reference_block(year=year, count=n)) for year, n in wanted.items()}
    return [data.reference or next(blocks[year]) for data, year in zip(inputs, years, strict=True)]


def _concern_new(
    data: ConcernInput,
    reference: str,
    place: Resolution | None,
    *,
    by: User | None,
    now: datetime,
) -> Concern:
    category = data.category
    concern = Concern(
        reference=reference,
        channel=data.channel,
        intake_point=data.intake_point,
        description=data.description.strip(),
        category=category,
        priority=int(data.priority or (category.default_priority if category else Priority.NORMAL)),
        status=Status.NEW,
        responsible_unit=category.default_unit if category else None,
        needs_help=data.needs_help or bool(category and category.needs_help),
        lat=data.lat,
        lon=data.lon,
        address=data.address.strip(),
        public_token=secrets.token_urlsafe(24),
        reported_at=data.reported_at or now,
        created_at=now,
        updated_at=now,
        created_by=by if by and by.is_authenticated else None,
        extra=dict(data.extra),
        partner_reference=partner_reference_clean(data.partner_reference),
    )
    _apply_place(concern, place)
    return concern


def partner_reference_clean(value: str) -> str:
    """A partner's number as people type it ("#4711 ", " 4711"): without blanks and a leading #."""
    return "".join(value.split()).lstrip("#")


def _reporter_new(concern: Concern, reporter: ReporterInput, now: datetime) -> ReporterContact:
    return ReporterContact(
        concern=concern,
        name=reporter.name.strip(),
        email=reporter.email.strip(),
        phone=reporter.phone.strip(),
        consent=reporter.consent,
        consent_at=now if reporter.consent else None,
        wants_updates=reporter.wants_updates and reporter.consent,
    )


def concern_update(
    *,
    concern: Concern,
    changes: Mapping[str, Any],
    by: User | None,
    expected_version: int | None = None,
) -> Concern:
    """Change fields of a concern, refusing a change based on a stale version.

    `changes` maps field names (category, priority, status, responsible_unit, assignee, description,
    address, lat, lon, needs_help, is_public) to new values (model instances for relations).
    """
    with transaction.atomic():
        current = Concern.objects.select_for_update().get(pk=concern.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                _("This concern was changed by someone else in the meantime."),
                current_version=current.version,
            )
        diff: dict[str, list[Any]] = {}
        for name, value in changes.items():
            if name not in _EDITABLE:
                raise ValueError(f"field {name!r} cannot be changed through concern_update")
            before = _plain(getattr(current, name))
            after = _plain(value)
            if before != after:
                setattr(current, name, value)
                diff[name] = [before, after]
        if not diff:
            return current
        if "lat" in diff or "lon" in diff:
            place = _resolve(current.lat, current.lon)
            _apply_place(current, place)
            current.zones.set(Zone.objects.filter(pk__in=place.zone_ids) if place else [])
        now = timezone.now()
        if "status" in diff:
            if current.status == Status.RESOLVED and current.resolved_at is None:
                current.resolved_at = now
            if current.status == Status.CLOSED and current.closed_at is None:
                current.closed_at = now
        reopened = "status" in diff and diff["status"][0] not in OPEN_STATUSES and current.is_open
        if "category" in diff or "responsible_unit" in diff:
            current.due_at = concern_due_at(current)
        if "responsible_unit" in diff or reopened:
            current.escalated_at = (
                None  # a new unit or a new round of work: escalate again when due
            )
        current.updated_at = now
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if "category" in diff:
            _correction_keep(current)
        kind = EventKind.STATUS if set(diff) == {"status"} else EventKind.CHANGED
        if set(diff) <= {"assignee", "responsible_unit", "status"} and (
            "assignee" in diff or "responsible_unit" in diff
        ):
            kind = EventKind.ASSIGNED
        _event(current, kind, by=by, at=now, changes=diff)
        # The calls upwards (docs/architecture.md), explicit and in this transaction: a new category
        # is routed again; a new status is told to the reporter.
        if "status" in diff:
            from kontaktpunkt.routing.notify import status_mail_enqueue

            status_mail_enqueue(concern=current, version=current.version)
        if "category" in diff and "responsible_unit" not in changes:
            from kontaktpunkt.routing.services import concern_reroute

            current = concern_reroute(concern=current, by=by)
    return current


def _correction_keep(concern: Concern) -> None:
    """Keep the text and the new category when the classifier proposes another one for the text
    (no personal data: classify.services.correction_record)."""
    if concern.category is None:
        return
    correction_record(
        text=concern.description,
        suggested_code=suggested_code(text=concern.description),
        final_code=concern.category.code,
        urgency=concern.priority,
    )


def concern_add_note(
    *,
    concern: Concern,
    text: str,
    public: bool,
    by: User | None,
    expected_version: int | None = None,
) -> ConcernEvent:
    """Add an internal note or a public reply to the timeline (a reply is shown on the status page)."""
    with transaction.atomic():
        current = Concern.objects.select_for_update().get(pk=concern.pk)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError(
                _("This concern was changed by someone else in the meantime."),
                current_version=current.version,
            )
        now = timezone.now()
        current.version += 1
        Concern.objects.filter(pk=current.pk).update(updated_at=now, version=current.version)
        return _event(
            current,
            EventKind.REPLY if public else EventKind.NOTE,
            by=by,
            at=now,
            text=text.strip(),
            public=public,
        )


class ChangeRefused(Exception):  # noqa: N818
    """A change that a rule of case handling forbids; the message is German and shown (HTTP 400)."""


def concern_log(
    *,
    concern: Concern,
    kind: EventKind,
    by: User | None,
    changes: dict[str, list[Any]] | None = None,
    text: str = "",
    expected_version: int | None = None,
) -> ConcernEvent:
    """Record a change kept beside the concern row (e.g. an attachment): a new version and its event."""
    with transaction.atomic():
        current = _lock(concern, expected_version)
        now = timezone.now()
        _bump(current, now)
        return _event(current, kind, by=by, at=now, changes=changes, text=text)


def concern_merge(
    *,
    duplicate: Concern,
    original: Concern,
    by: User | None,
    expected_version: int | None = None,
) -> Concern:
    """Mark `duplicate` as the same matter as `original`; both timelines get a `merged` event.

    Nothing is deleted or moved: the duplicate keeps its timeline and attachments and points to the
    original. Only an open concern can become a duplicate, never of itself nor of a duplicate.
    """
    if duplicate.pk == original.pk:
        raise ChangeRefused(_("A concern cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Concern.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, original.pk])
            .order_by("pk")
        }
        current, target = locked[duplicate.pk], locked[original.pk]
        _check_version(current, expected_version)
        if current.status not in OPEN_STATUSES:
            raise ChangeRefused(
                _("Only an open concern can be merged; this one is %(status)s.")
                % {"status": current.get_status_display()}
            )
        if target.status == Status.DUPLICATE:
            raise ChangeRefused(
                _("%(reference)s is itself a duplicate; merge into its original instead.")
                % {"reference": target.reference}
            )
        now = timezone.now()
        before_status = current.status
        current.status = Status.DUPLICATE
        current.duplicate_of = target
        _bump(current, now, fields=["status", "duplicate_of"])
        _event(
            current,
            EventKind.MERGED,
            by=by,
            at=now,
            changes={
                "status": [before_status, Status.DUPLICATE.value],
                "duplicate_of": [None, _plain(target)],
            },
        )
        _bump(target, now)
        _event(
            target, EventKind.MERGED, by=by, at=now, changes={"duplicates": [None, _plain(current)]}
        )
    return current


def concern_escalate(
    *, concern: Concern, now: datetime, notified: list[str]
) -> ConcernEvent | None:
    """Flag an overdue open concern as escalated (once) and write the `escalated` event.

    Returns None when the concern is no longer due for escalation (closed meanwhile, already
    escalated, or its deadline moved).
    """
    with transaction.atomic():
        current = Concern.objects.select_for_update().get(pk=concern.pk)
        if (
            current.status not in OPEN_STATUSES
            or current.escalated_at is not None
            or current.due_at is None
            or current.due_at >= now
        ):
            return None
        current.escalated_at = now
        _bump(current, now, fields=["escalated_at"])
        return _event(
            current,
            EventKind.ESCALATED,
            by=None,
            at=now,
            changes={"escalated_at": [None, now.isoformat()], "notified": [None, notified]},
        )


def _check_version(current: Concern, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _("This concern was changed by someone else in the meantime."),
            current_version=current.version,
        )


def _lock(concern: Concern, expected_version: int | None) -> Concern:
    current = Concern.objects.select_for_update().get(pk=concern.pk)
    _check_version(current, expected_version)
    return current


def _bump(concern: Concern, now: datetime, *, fields: list[str] | None = None) -> None:
    """Save `fields` with a new version and `updated_at` (the concern must be locked)."""
    concern.version += 1
    concern.updated_at = now
    concern.save(update_fields=[*(fields or []), "version", "updated_at"])


_EDITABLE = frozenset(
    {
        "category",
        "priority",
        "status",
        "responsible_unit",
        "assignee",
        "description",
        "address",
        "lat",
        "lon",
        "needs_help",
        "is_public",
        "duplicate_of",
        "partner_reference",
    }
)


def _resolve(lat: float | None, lon: float | None) -> Resolution | None:
    if lat is None or lon is None:
        return None
    return resolve_point(place_index(), lat, lon)


def _apply_place(concern: Concern, place: Resolution | None) -> None:
    concern.district_id = place.district_id if place else None
    concern.quarter_id = place.quarter_id if place else None
    concern.outside_city = bool(place and not place.inside_city)
    concern.h3_cell = place.h3_cell if place else ""


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the timeline."""
    if isinstance(value, Category | Unit | User | Concern):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _snapshot(concern: Concern) -> dict[str, list[Any]]:
    names = (
        "channel",
        "category",
        "priority",
        "status",
        "responsible_unit",
        "address",
        "needs_help",
    )
    return {name: [None, _plain(getattr(concern, name))] for name in names}


def _event(
    concern: Concern,
    kind: EventKind,
    *,
    by: User | None,
    at: datetime,
    changes: dict[str, list[Any]] | None = None,
    text: str = "",
    public: bool = False,
) -> ConcernEvent:
    event = _event_new(concern, kind, by=by, at=at, changes=changes, text=text, public=public)
    event.save()
    return event


def _event_new(
    concern: Concern,
    kind: EventKind,
    *,
    by: User | None,
    at: datetime,
    changes: dict[str, list[Any]] | None = None,
    text: str = "",
    public: bool = False,
) -> ConcernEvent:
    return ConcernEvent(
        concern=concern,
        kind=kind,
        at=at,
        actor=by if by and by.is_authenticated else None,
        changes=changes or {},
        text=text,
        is_public=public,
        version=concern.version,
    )
