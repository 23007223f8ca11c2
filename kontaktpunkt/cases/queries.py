"""Reads of the queue page: which queue a person may open, its filters, keyset pages and counts.

Paging is keyset (seek) paging, never OFFSET: a page starts after (or before) the sort key of a row
the person has seen, carried in an opaque, signed cursor. The database finds the start in the index,
so page 500 costs what page 1 costs. Both directions are offered: `after` (next page) and `before`
(previous page); the first page needs no cursor. A cursor that was tampered with, has expired with
the secret key, or belongs to another sort order is dropped: the first page is shown with a notice.

Counts per status and per field are capped at COUNT_CAP: each one counts at most COUNT_CAP + 1 rows
(`SELECT count(*) FROM (... LIMIT 10001)`), read from an index, so that a queue of a million rows
answers "10.000+" in milliseconds instead of counting it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final, Literal, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, OrderBy, Q, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.accounts.models import Unit, User
from kontaktpunkt.accounts.permissions import Perm, units_with_perm, user_has_perm
from kontaktpunkt.cases.models import SavedFilter
from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern, Field, Status
from kontaktpunkt.intake.selectors import concerns_visible_to

PAGE_SIZE = 50
COUNT_CAP = 10_000
OPEN: Final = "open"  # the status filter's shorthand for every open status
UNASSIGNED: Final = "none"  # the assignee filter's value for "nobody"
_CURSOR_SALT = "kontaktpunkt.cases.queue.cursor"


class Sort(models.TextChoices):
    NEWEST = "newest", _("newest first")
    OLDEST = "oldest", _("oldest first")
    DUE = "due", _("due soonest")
    PRIORITY = "priority", _("priority (high first)")


class Scope(StrEnum):
    UNIT = "unit"
    MINE = "mine"


@dataclass(frozen=True)
class _Key:
    """One column of a sort order; `nullable` columns sort their NULLs last (ascending)."""

    name: str
    descending: bool
    nullable: bool = False


_SORT_KEYS: dict[Sort, tuple[_Key, ...]] = {
    Sort.NEWEST: (_Key("reported_at", True), _Key("id", True)),
    Sort.OLDEST: (_Key("reported_at", False), _Key("id", False)),
    Sort.DUE: (_Key("due_at", False, nullable=True), _Key("id", False)),
    Sort.PRIORITY: (_Key("priority", True), _Key("reported_at", True), _Key("id", True)),
}


@dataclass(frozen=True)
class QueueScope:
    """The queue a person looks at: one unit's, or their own assignments; and the units offered."""

    kind: Scope
    unit: Unit | None
    units: list[Unit]

    @property
    def mine(self) -> bool:
        return self.kind is Scope.MINE


@dataclass(frozen=True)
class QueueFilter:
    """The validated filters of the queue page; every one given narrows the result (AND)."""

    statuses: tuple[str, ...] = ()
    category: Category | None = None
    field: str | None = None
    district_id: int | None = None
    quarter_id: int | None = None
    priority: int | None = None
    channel: str | None = None
    overdue: bool = False
    assignee: int | Literal["none"] | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    sort: Sort = Sort.NEWEST


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue with the cursors of its neighbours (None where there is none)."""

    rows: list[Concern]
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool
    cursor_rejected: bool = False


@dataclass(frozen=True)
class FacetCount:
    """How many concerns match with `value` chosen; `capped`: at least `count`, counting stopped."""

    value: str
    label: str
    count: int
    capped: bool
    selected: bool = False

    @property
    def display(self) -> str:
        shown = str(number_format(self.count, force_grouping=True))
        return f"{shown}+" if self.capped else shown


@dataclass(frozen=True)
class QueueCounts:
    total: FacetCount
    statuses: list[FacetCount]
    fields: list[FacetCount]


# --------------------------------------------------------------------------- scope


def queue_units(*, user: User) -> list[Unit]:
    """The units whose queues `user` may open: all active units for those who see every concern."""
    units = Unit.objects.filter(active=True)
    if not user_has_perm(user, Perm.CONCERN_VIEW_ALL):
        units = units.filter(pk__in=units_with_perm(user, Perm.CONCERN_VIEW_UNIT))
    return list(units)


def queue_scope_resolve(*, user: User, scope: str | None, unit_slug: str | None) -> QueueScope:
    """The queue asked for; by default the person's first own unit. Http404 for one out of reach."""
    units = queue_units(user=user)
    if scope == Scope.MINE:
        return QueueScope(kind=Scope.MINE, unit=None, units=units)
    if unit_slug:
        unit = next((u for u in units if u.slug == unit_slug), None)
    else:
        own = units_with_perm(user, Perm.CONCERN_VIEW_UNIT)
        unit = next((u for u in units if u.pk in own), units[0] if units else None)
    if unit is None:
        raise Http404("Diese Warteschlange gibt es nicht oder sie ist Ihnen nicht zugänglich.")
    return QueueScope(kind=Scope.UNIT, unit=unit, units=units)


def queue_assignees(*, scope: QueueScope, user: User) -> list[User]:
    """The people one may filter the queue by: the active members of its unit (or oneself)."""
    if scope.unit is None:
        return [user]
    return list(
        User.objects.filter(memberships__unit=scope.unit, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


# --------------------------------------------------------------------------- filtering


# What a row of the queue shows (and its sort keys): a district's or a category's long texts and
# geometry stay in the database.
_ROW_FIELDS = (
    "reference",
    "status",
    "priority",
    "reported_at",
    "due_at",
    "address",
    "category__name",
    "district__name",
    "assignee__username",
    "assignee__display_name",
    "assignee__first_name",
    "assignee__last_name",
)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def queue_concerns(
    *,
    user: User,
    scope: QueueScope,
    flt: QueueFilter,
    now: datetime,
    ignore: frozenset[str] = frozenset(),
) -> QuerySet[Concern]:
    """The concerns of the queue that match `flt` (unordered); filters named in `ignore` are left
    out, which the counts use to show what choosing another status or field would give."""
    qs = (
        concerns_visible_to(user)
        .select_related(None)
        .select_related("category", "district", "assignee")
        .only(*_ROW_FIELDS)
    )
    qs = qs.filter(assignee=user) if scope.mine else qs.filter(responsible_unit=scope.unit)
    conditions = Q()
    if flt.statuses and "status" not in ignore:
        conditions &= Q(status__in=_expand_statuses(flt.statuses))
    if flt.category is not None:
        conditions &= Q(category=flt.category)
    if flt.field and "field" not in ignore:
        conditions &= Q(category_id__in=_category_ids(flt.field))
    if flt.district_id is not None:
        conditions &= Q(district_id=flt.district_id)
    if flt.quarter_id is not None:
        conditions &= Q(quarter_id=flt.quarter_id)
    if flt.priority is not None:
        conditions &= Q(priority=flt.priority)
    if flt.channel:
        conditions &= Q(channel=flt.channel)
    if flt.overdue:
        conditions &= Q(due_at__lt=now, status__in=sorted(OPEN_STATUSES))
    if flt.assignee == UNASSIGNED:
        conditions &= Q(assignee__isnull=True)
    elif flt.assignee is not None:
        conditions &= Q(assignee_id=flt.assignee)
    if flt.reported_from is not None:
        conditions &= Q(reported_at__gte=_day_start(flt.reported_from))
    if flt.reported_to is not None:
        conditions &= Q(reported_at__lt=_day_start(flt.reported_to + timedelta(days=1)))
    return qs.filter(conditions)


def _expand_statuses(values: Sequence[str]) -> list[str]:
    statuses = {s for v in values for s in (OPEN_STATUSES if v == OPEN else {v})}
    return sorted(str(s) for s in statuses)


def _category_ids(field: str) -> list[int]:
    """A field is a set of categories: filtering by their ids keeps to the concern table."""
    return list(Category.objects.filter(field=field).values_list("pk", flat=True))


# --------------------------------------------------------------------------- keyset paging


class _RowCompare(Func):
    """`(a, b, …) < (x, y, …)` (or `>`): a row-value comparison, which PostgreSQL turns into one
    index range and SQLite (3.15+) understands as well."""

    output_field = BooleanField()

    def __init__(self, names: Sequence[str], op: Literal["<", ">"], values: Sequence[Any]) -> None:
        fields = [cast(models.Field[Any, Any], Concern._meta.get_field(name)) for name in names]
        sources = [F(name) for name in names]
        params = [Value(v, output_field=f) for v, f in zip(values, fields, strict=True)]
        super().__init__(*sources, *params)
        self.op = op

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        half = len(compiled) // 2
        lhs = ", ".join(sql for sql, _ in compiled[:half])
        rhs = ", ".join(sql for sql, _ in compiled[half:])
        params = [p for _, ps in compiled for p in ps]
        return f"({lhs}) {self.op} ({rhs})", params


def _ordering(sort: Sort, *, backward: bool) -> list[OrderBy]:
    order = []
    for key in _SORT_KEYS[sort]:
        descending = key.descending != backward
        if key.nullable:  # NULLs last going forward, so first going backward
            expr = (
                F(key.name).desc(nulls_first=True)
                if descending
                else F(key.name).asc(nulls_last=True)
            )
        else:
            expr = F(key.name).desc() if descending else F(key.name).asc()
        order.append(expr)
    return order


def _seek(sort: Sort, values: Sequence[Any], *, backward: bool) -> Q:
    """The rows strictly beyond `values` in the sort order (in its reverse when `backward`)."""
    keys = _SORT_KEYS[sort]
    descending = keys[0].descending != backward
    op: Literal["<", ">"] = "<" if descending else ">"
    names = [k.name for k in keys]
    if not keys[0].nullable:
        return Q(_RowCompare(names, op, values))
    first = keys[0].name
    nulls_ahead = not backward  # going forward the NULL block comes after every value
    if values[0] is None:
        in_nulls = Q(**{f"{first}__isnull": True}) & Q(_RowCompare(names[1:], op, values[1:]))
        return in_nulls if nulls_ahead else in_nulls | Q(**{f"{first}__isnull": False})
    beyond = Q(_RowCompare(names, op, values))
    return beyond | Q(**{f"{first}__isnull": True}) if nulls_ahead else beyond


def _key_values(sort: Sort, concern: Concern) -> list[Any]:
    return [getattr(concern, key.name) for key in _SORT_KEYS[sort]]


def cursor_encode(sort: Sort, concern: Concern) -> str:
    """An opaque, signed token for the position of `concern` in `sort`."""
    values = [v.isoformat() if isinstance(v, datetime) else v for v in _key_values(sort, concern)]
    return signing.dumps({"s": str(sort), "k": values}, salt=_CURSOR_SALT, compress=True)


def cursor_decode(token: str, sort: Sort) -> list[Any] | None:
    """The key values of a cursor made by cursor_encode for `sort`; None for anything else."""
    try:
        payload = signing.loads(token, salt=_CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    keys = _SORT_KEYS[sort]
    if not isinstance(payload, dict) or payload.get("s") != sort:
        return None
    raw = payload.get("k")
    if not isinstance(raw, list) or len(raw) != len(keys):
        return None
    values: list[Any] = []
    for key, value in zip(keys, raw, strict=True):
        parsed = _key_value(key, value)
        if parsed is _INVALID:
            return None
        values.append(parsed)
    return values


_INVALID = object()


def _key_value(key: _Key, value: Any) -> Any:
    if value is None:
        return None if key.nullable else _INVALID
    if key.name in {"id", "priority"}:
        return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    if not isinstance(value, str):
        return _INVALID
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _INVALID
    return parsed if parsed.tzinfo is not None else _INVALID


def queue_page(
    qs: QuerySet[Concern],
    *,
    sort: Sort,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> QueuePage:
    """The page of `qs` after the cursor `after`, before the cursor `before`, or the first page.

    Going back past the start gives the first page as it is now, so page 1 is always the same.
    """
    token, backward = (before, True) if before else (after, False)
    values = cursor_decode(token, sort) if token else None
    if values is None:
        rows = list(qs.order_by(*_ordering(sort, backward=False))[: size + 1])
        return QueuePage(
            rows=rows[:size],
            next_cursor=cursor_encode(sort, rows[size - 1]) if len(rows) > size else None,
            prev_cursor=None,
            is_first=True,
            cursor_rejected=bool(token),
        )
    seek = qs.filter(_seek(sort, values, backward=backward))
    rows = list(seek.order_by(*_ordering(sort, backward=backward))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        if not more:
            return queue_page(qs, sort=sort, size=size)
        rows.reverse()
    return QueuePage(
        rows=rows,
        next_cursor=cursor_encode(sort, rows[-1]) if rows and (more or backward) else None,
        prev_cursor=cursor_encode(sort, rows[0]) if rows else None,
        is_first=False,
    )


# --------------------------------------------------------------------------- counts


def _capped_count(qs: QuerySet[Concern], cap: int) -> tuple[int, bool]:
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def queue_counts(
    *, user: User, scope: QueueScope, flt: QueueFilter, now: datetime, cap: int = COUNT_CAP
) -> QueueCounts:
    """The number of matches in total, per status (whatever status is chosen) and per field
    (whatever field is chosen), each capped at `cap`."""
    total = _capped_count(queue_concerns(user=user, scope=scope, flt=flt, now=now), cap)
    by_status = queue_concerns(
        user=user, scope=scope, flt=flt, now=now, ignore=frozenset({"status"})
    )
    by_field = queue_concerns(user=user, scope=scope, flt=flt, now=now, ignore=frozenset({"field"}))
    chosen = set(_expand_statuses(flt.statuses)) if flt.statuses else set()
    statuses = [
        FacetCount(
            str(s.value), str(s.label), *_capped_count(by_status.filter(status=s), cap), s in chosen
        )
        for s in Status
    ]
    fields = [
        FacetCount(
            str(f.value),
            str(f.label),
            *_capped_count(by_field.filter(category_id__in=_category_ids(f)), cap),
            f == flt.field,
        )
        for f in Field
    ]
    return QueueCounts(
        total=FacetCount("", str(_("matching concerns")), *total), statuses=statuses, fields=fields
    )


def saved_filters_of(*, owner: User) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(owner=owner).order_by("name")
