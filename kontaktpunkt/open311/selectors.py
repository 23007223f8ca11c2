"""Reads of the Open311 adapter: public services and public service requests, as plain rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from kontaktpunkt.core.process_cache import ProcessCache
from kontaktpunkt.intake.models import (
    OPEN_STATUSES,
    Category,
    CategoryAttribute,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    Status,
)
from kontaktpunkt.open311.models import Submission
from kontaktpunkt.open311.serializers import AttributeRow, NoteRow, RequestRow, ServiceRow

# What each internal status is called in a note of the public history.
_STATUS_NOTE_TYPES = {"new": "opened"}


@dataclass(frozen=True)
class RequestFilters:
    references: list[str]
    service_codes: list[str]
    start: datetime | None
    end: datetime | None
    statuses: list[str]
    updated_after: datetime | None
    updated_before: datetime | None
    offset: int
    limit: int


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_public=True, active=True).prefetch_related(
        Prefetch("attributes", queryset=CategoryAttribute.objects.order_by("order", "code"))
    )


def public_services() -> list[ServiceRow]:
    return [_service_row(category) for category in public_categories()]


@dataclass(frozen=True)
class PublicService:
    category_id: int
    row: ServiceRow


def public_service(*, code: str) -> PublicService | None:
    """The public, active service with this code, from the process's catalogue (hot path: POST)."""
    return _catalogue.get().get(code)


def _catalogue_build() -> dict[str, PublicService]:
    return {
        category.open311_service_code: PublicService(category.pk, _service_row(category))
        for category in public_categories()
    }


def _catalogue_fingerprint() -> tuple[object, ...]:
    categories = Category.objects.aggregate(
        count=Count("id"),
        last=Max("id"),
        public=Count("id", filter=Q(is_public=True, active=True)),
        text=Sum(Length("name") + Length("open311_service_code") + Length("description")),
    )
    attributes = CategoryAttribute.objects.aggregate(
        count=Count("id"), last=Max("id"), text=Sum(Length("code") + Length("question"))
    )
    return (*categories.values(), *attributes.values())


def _catalogue_recheck_s() -> float:
    return float(settings.KP_OPEN311_CATALOGUE_RECHECK_S)


_catalogue: ProcessCache[dict[str, PublicService]] = ProcessCache(
    build=_catalogue_build,
    fingerprint=_catalogue_fingerprint,
    max_age_s=300,
    recheck_s=_catalogue_recheck_s,
)


def public_category(*, code: str) -> Category | None:
    """The public, active category with this service code, its questions prefetched."""
    return public_categories().filter(open311_service_code=code).first()


def service_row(category: Category) -> ServiceRow:
    return _service_row(category)


def services_changeset(*, default: datetime) -> datetime:
    """When categories or their questions were last changed in the admin (else `default`)."""
    types = ContentType.objects.get_for_models(Category, CategoryAttribute).values()
    last = LogEntry.objects.filter(content_type__in=list(types)).aggregate(last=Max("action_time"))
    return max(last["last"] or default, default)


def _service_row(category: Category) -> ServiceRow:
    return ServiceRow(
        code=category.open311_service_code,
        name=category.name,
        description=category.description,
        keywords=category.synonyms,
        group=category.group or str(category.get_field_display()),
        attributes=[
            AttributeRow(
                code=attribute.code,
                datatype=attribute.datatype,
                required=attribute.required,
                question=attribute.question,
                help_text=attribute.description,
                order=attribute.order,
                values=_values(attribute.values),
            )
            for attribute in category.attributes.all()
        ],
    )


def _values(raw: object) -> list[tuple[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        (str(item.get("key", "")), str(item.get("name", item.get("key", ""))))
        for item in raw
        if isinstance(item, dict)
    ]


def public_requests(*, filters: RequestFilters, with_history: bool) -> list[RequestRow]:
    """Concerns of public categories matching the filters, newest first, as rows without personal data."""
    concerns = _public_concerns()
    if filters.references:
        concerns = concerns.filter(reference__in=filters.references)
    else:
        concerns = _filtered(concerns, filters)
    page = list(concerns[filters.offset : filters.offset + filters.limit])
    rows = [_request_row(concern, with_history=with_history) for concern in page]
    if filters.references:
        found = {row.reference for row in rows}
        missing = [reference for reference in filters.references if reference not in found]
        rows += _waiting_rows(missing, with_history=with_history) if missing else []
    return rows


def public_request(*, reference: str) -> RequestRow | None:
    """The public concern with this reference; or, while it waits in the Open311 inbox, what is known."""
    concern = _public_concerns().filter(reference=reference).first()
    if concern is not None:
        return _request_row(concern, with_history=True)
    waiting = _waiting_rows([reference], with_history=True)
    return waiting[0] if waiting else None


def _waiting_rows(references: list[str], *, with_history: bool) -> list[RequestRow]:
    """Accepted requests not yet taken in: open, without description, agency or deadline yet."""
    services = {service.category_id: service.row for service in _catalogue.get().values()}
    rows: list[RequestRow] = []
    waiting = Submission.objects.filter(reference__in=references, processed_at__isnull=True)
    for submission in waiting.order_by("-received_at", "-id"):
        payload = submission.payload
        service = services.get(payload.get("category_id"))
        if service is None:
            continue
        received = submission.received_at
        rows.append(
            RequestRow(
                reference=submission.reference,
                is_open=True,
                status_notes=None,
                service_name=service.name,
                service_code=service.code,
                description=None,
                agency=None,
                requested_at=received,
                updated_at=received,
                expected_at=None,
                address=str(payload.get("address", "")),
                lat=payload.get("lat"),
                lon=payload.get("long"),
                channel=Channel.OPEN311,
                notes=[NoteRow(at=received, type="submitted", summary=_("Concern recorded"))]
                if with_history
                else [],
            )
        )
    return rows


def _public_concerns() -> QuerySet[Concern]:
    history = ConcernEvent.objects.filter(
        Q(kind=EventKind.REPLY, is_public=True)
        | Q(kind__in=[EventKind.CREATED, EventKind.STATUS, EventKind.ASSIGNED, EventKind.MERGED])
    ).order_by("at", "id")
    return (
        Concern.objects.filter(category__is_public=True)
        .select_related("category", "responsible_unit")
        .prefetch_related(Prefetch("events", queryset=history, to_attr="public_history"))
        .order_by("-reported_at", "-id")
    )


def _filtered(concerns: QuerySet[Concern], filters: RequestFilters) -> QuerySet[Concern]:
    if filters.service_codes:
        concerns = concerns.filter(category__open311_service_code__in=filters.service_codes)
    if filters.start is not None:
        concerns = concerns.filter(reported_at__gte=filters.start)
    if filters.end is not None:
        concerns = concerns.filter(reported_at__lte=filters.end)
    if set(filters.statuses) == {"open"}:
        concerns = concerns.filter(status__in=sorted(OPEN_STATUSES))
    elif set(filters.statuses) == {"closed"}:
        concerns = concerns.exclude(status__in=sorted(OPEN_STATUSES))
    if filters.updated_after is not None:
        concerns = concerns.filter(updated_at__gt=filters.updated_after)
    if filters.updated_before is not None:
        concerns = concerns.filter(updated_at__lt=filters.updated_before)
    return concerns


def _request_row(concern: Concern, *, with_history: bool) -> RequestRow:
    events: list[ConcernEvent] = getattr(concern, "public_history", [])
    replies = [event for event in events if event.kind == EventKind.REPLY]
    category = concern.category
    unit = concern.responsible_unit
    return RequestRow(
        reference=concern.reference,
        is_open=concern.is_open,
        status_notes=replies[-1].text if replies else None,
        service_name=category.name if category else None,
        service_code=category.open311_service_code if category else "",
        # The reporter's own words are public only once a person released the concern.
        description=concern.description if concern.is_public else None,
        agency=unit.name if unit else None,
        requested_at=concern.reported_at,
        updated_at=concern.closed_at
        if not concern.is_open and concern.closed_at
        else concern.updated_at,
        expected_at=concern.due_at if concern.is_open else None,
        address=concern.address,
        lat=concern.lat,
        lon=concern.lon,
        channel=concern.channel,
        notes=_notes(events) if with_history else [],
        # Like the description, a link the reporter gave is public once a person released it.
        media_url=_media_url(concern) if concern.is_public else None,
    )


def _media_url(concern: Concern) -> str | None:
    given = concern.extra.get("open311", {}) if isinstance(concern.extra, dict) else {}
    url = given.get("media_url") if isinstance(given, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def _notes(events: Iterable[ConcernEvent]) -> list[NoteRow]:
    notes: list[NoteRow] = []
    for event in events:
        if event.kind == EventKind.CREATED:
            notes.append(NoteRow(at=event.at, type="submitted", summary=_("Concern recorded")))
        elif event.kind == EventKind.REPLY:
            notes.append(
                NoteRow(at=event.at, type="activity", summary=_("Reply"), description=event.text)
            )
        elif "status" in (event.changes or {}):
            notes.append(_status_note(event))
    return notes


def _status_note(event: ConcernEvent) -> NoteRow:
    after = str(event.changes["status"][-1])
    label = str(Status(after).label) if after in Status.values else after
    kind = "activity" if after in OPEN_STATUSES else "closed"
    return NoteRow(
        at=event.at,
        type=_STATUS_NOTE_TYPES.get(after, kind),
        summary=_("Status: %(status)s") % {"status": label},
    )


def inbox_burst(*, per_s: int, defer_max_s: int, now: datetime | None = None) -> bool:
    """Whether requests are arriving in a burst (more than `per_s` in the last second) while the
    oldest waiting one has waited less than `defer_max_s` seconds: then intake may wait."""
    moment = now or timezone.now()
    waiting = Submission.objects.filter(processed_at__isnull=True)
    oldest = waiting.aggregate(oldest=Min("received_at"))["oldest"]
    if oldest is None or moment - oldest >= timedelta(seconds=defer_max_s):
        return False
    recent = waiting.filter(received_at__gte=moment - timedelta(seconds=1))
    return recent[: per_s + 1].count() > per_s
