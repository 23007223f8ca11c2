from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontaktpunkt.accounts.models import Role, Unit
from kontaktpunkt.cases.queries import (
    OPEN,
    UNASSIGNED,
    QueueFilter,
    QueueScope,
    Scope,
    Sort,
    cursor_decode,
    cursor_encode,
    queue_concerns,
    queue_counts,
    queue_page,
    queue_scope_resolve,
    queue_units,
)
from kontaktpunkt.geo.models import Area
from kontaktpunkt.intake.models import OPEN_STATUSES, Channel, Concern, Field, Priority, Status
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def kod() -> Unit:
    return Unit.objects.get(slug="kod")


def _kod_scope(user) -> QueueScope:
    return queue_scope_resolve(user=user, scope=None, unit_slug="kod")


def _refs(user, flt: QueueFilter, scope: QueueScope | None = None) -> set[str]:
    qs = queue_concerns(user=user, scope=scope or _kod_scope(user), flt=flt, now=NOW)
    return set(qs.values_list("reference", flat=True))


def _area(level: str, slug: str, parent: Area | None = None) -> Area:
    return Area.objects.create(
        level=level, name=slug.title(), slug=slug, parent=parent, geometry={}
    )


# --------------------------------------------------------------------------- scope


def test_a_person_gets_their_first_own_unit_by_default(kod_officer, kod):
    scope = queue_scope_resolve(user=kod_officer, scope=None, unit_slug=None)

    assert scope.kind is Scope.UNIT
    assert scope.unit == kod
    assert [u.slug for u in scope.units] == ["kod"]


def test_a_unit_out_of_reach_is_not_found(kod_officer):
    with pytest.raises(Http404):
        queue_scope_resolve(user=kod_officer, scope=None, unit_slug="desk")
    with pytest.raises(Http404):
        queue_scope_resolve(user=kod_officer, scope=None, unit_slug="no-such-unit")


def test_someone_who_sees_every_concern_is_offered_every_active_unit(kod_lead):
    slugs = {u.slug for u in queue_units(user=kod_lead)}

    assert {"kod", "desk", "streetwork", "city-works"} <= slugs
    assert queue_scope_resolve(user=kod_lead, scope=None, unit_slug=None).unit == Unit.objects.get(
        slug="kod"
    )
    assert queue_scope_resolve(
        user=kod_lead, scope=None, unit_slug="desk"
    ).unit == Unit.objects.get(slug="desk")


def test_a_person_with_two_units_may_open_both(kod_officer):
    MembershipFactory.create(
        user=kod_officer, unit=Unit.objects.get(slug="streetwork"), role=Role.STREETWORKER
    )

    assert {u.slug for u in queue_units(user=kod_officer)} == {"kod", "streetwork"}


def test_mine_is_a_scope_without_a_unit(kod_officer):
    scope = queue_scope_resolve(user=kod_officer, scope="mine", unit_slug="desk")

    assert scope.mine and scope.unit is None


# --------------------------------------------------------------------------- filters


def test_mine_shows_only_my_assignments(kod_officer, kod_lead):
    mine = ConcernFactory.create(assignee=kod_officer, status=Status.ASSIGNED)
    ConcernFactory.create(assignee=kod_lead, status=Status.ASSIGNED)
    ConcernFactory.create()
    streetwork = CategoryFactory.create(default_unit=Unit.objects.get(slug="streetwork"))
    mine_elsewhere = ConcernFactory.create(category=streetwork, assignee=kod_officer)
    scope = queue_scope_resolve(user=kod_officer, scope="mine", unit_slug=None)

    assert _refs(kod_officer, QueueFilter(), scope) == {mine.reference, mine_elsewhere.reference}


def test_a_unit_queue_holds_only_that_units_concerns(kod_lead):
    kod_concern = ConcernFactory.create()
    ConcernFactory.create(
        category=CategoryFactory.create(default_unit=Unit.objects.get(slug="desk"))
    )

    assert _refs(kod_lead, QueueFilter()) == {kod_concern.reference}


def test_filters_combine(kod_lead):
    north, south = _area("district", "north"), _area("district", "south")
    north_a = _area("quarter", "north-a", north)
    category, other = CategoryFactory.create(), CategoryFactory.create()
    match = {
        "category": category,
        "district": north,
        "quarter": north_a,
        "status": Status.IN_PROGRESS,
        "priority": Priority.HIGH,
        "channel": Channel.PHONE,
        "assignee": kod_lead,
        "reported_at": NOW - timedelta(days=2),
        "due_at": NOW - timedelta(hours=1),
    }
    hit = ConcernFactory.create(**match)
    misses = [
        ConcernFactory.create(**{**match, "category": other}),
        ConcernFactory.create(**{**match, "district": south}),
        ConcernFactory.create(**{**match, "quarter": None}),
        ConcernFactory.create(**{**match, "status": Status.NEW}),
        ConcernFactory.create(**{**match, "priority": Priority.LOW}),
        ConcernFactory.create(**{**match, "channel": Channel.WEB}),
        ConcernFactory.create(**{**match, "assignee": None}),
        ConcernFactory.create(**{**match, "reported_at": NOW - timedelta(days=30)}),
        ConcernFactory.create(**{**match, "due_at": NOW + timedelta(hours=1)}),
    ]
    flt = QueueFilter(
        statuses=(Status.IN_PROGRESS, Status.ASSIGNED),
        category=category,
        field=Field.ORDER,
        district_id=north.pk,
        quarter_id=north_a.pk,
        priority=Priority.HIGH,
        channel=Channel.PHONE,
        overdue=True,
        assignee=kod_lead.pk,
        reported_from=(NOW - timedelta(days=7)).date(),
        reported_to=NOW.date(),
    )

    assert _refs(kod_lead, flt) == {hit.reference}
    assert _refs(kod_lead, QueueFilter()) == {hit.reference} | {m.reference for m in misses}


def test_the_open_shorthand_stands_for_every_open_status(kod_lead):
    by_status = {s: ConcernFactory.create(status=s).reference for s in Status}
    open_ones = {ref for s, ref in by_status.items() if s in OPEN_STATUSES}

    assert _refs(kod_lead, QueueFilter(statuses=(OPEN,))) == open_ones
    assert _refs(kod_lead, QueueFilter(statuses=(OPEN, Status.CLOSED))) == open_ones | {
        by_status[Status.CLOSED]
    }


def test_overdue_means_past_the_deadline_and_still_open(kod_lead):
    overdue = ConcernFactory.create(status=Status.ASSIGNED, due_at=NOW - timedelta(minutes=1))
    ConcernFactory.create(status=Status.ASSIGNED, due_at=NOW + timedelta(minutes=1))
    ConcernFactory.create(status=Status.RESOLVED, due_at=NOW - timedelta(days=1))
    ConcernFactory.create(status=Status.NEW, due_at=None)

    assert _refs(kod_lead, QueueFilter(overdue=True)) == {overdue.reference}


def test_unassigned_is_a_filter_of_its_own(kod_lead):
    nobody = ConcernFactory.create(assignee=None)
    ConcernFactory.create(assignee=kod_lead)

    assert _refs(kod_lead, QueueFilter(assignee=UNASSIGNED)) == {nobody.reference}


def test_a_field_filter_holds_the_categories_of_that_field(kod_lead):
    cleanliness = ConcernFactory.create(category=CategoryFactory.create(field=Field.CLEANLINESS))
    ConcernFactory.create(category=CategoryFactory.create(field=Field.ORDER))

    assert _refs(kod_lead, QueueFilter(field=Field.CLEANLINESS)) == {cleanliness.reference}


def test_the_period_is_a_span_of_whole_days_in_berlin(kod_lead):
    # 1 March 2026, Berlin is UTC+1: the day runs from 28 Feb 23:00 to 1 Mar 23:00 UTC.
    before = ConcernFactory.create(reported_at=datetime(2026, 2, 28, 22, 59, tzinfo=UTC))
    first = ConcernFactory.create(reported_at=datetime(2026, 2, 28, 23, 0, tzinfo=UTC))
    last = ConcernFactory.create(reported_at=datetime(2026, 3, 1, 22, 59, 59, tzinfo=UTC))
    after = ConcernFactory.create(reported_at=datetime(2026, 3, 1, 23, 0, tzinfo=UTC))
    day = date(2026, 3, 1)

    refs = _refs(kod_lead, QueueFilter(reported_from=day, reported_to=day))

    assert refs == {first.reference, last.reference}
    assert before.reference not in refs and after.reference not in refs


def test_a_person_without_sight_of_all_sees_only_what_concerns_visible_to_allows(kod_officer):
    own = ConcernFactory.create()
    desk = Unit.objects.get(slug="desk")
    ConcernFactory.create(category=CategoryFactory.create(default_unit=desk))
    scope = QueueScope(kind=Scope.UNIT, unit=desk, units=[desk])  # forged: out of reach

    assert _refs(kod_officer, QueueFilter(), scope) == set()
    assert _refs(kod_officer, QueueFilter()) == {own.reference}


# --------------------------------------------------------------------------- keyset paging


def _expected(concerns: list[Concern], sort: Sort) -> list[int]:
    far = datetime.max.replace(tzinfo=UTC)
    keys = {
        Sort.NEWEST: lambda c: (-c.reported_at.timestamp(), -c.pk),
        Sort.OLDEST: lambda c: (c.reported_at, c.pk),
        Sort.DUE: lambda c: (c.due_at is None, c.due_at or far, c.pk),
        Sort.PRIORITY: lambda c: (-c.priority, -c.reported_at.timestamp(), -c.pk),
    }
    return [c.pk for c in sorted(concerns, key=keys[sort])]


def _walk(user, sort: Sort, size: int) -> tuple[list[int], list[int]]:
    """Every page forward by `after`, then from the last page back to the first by `before`."""
    qs = queue_concerns(user=user, scope=_kod_scope(user), flt=QueueFilter(sort=sort), now=NOW)
    pages = [queue_page(qs, sort=sort, size=size)]
    while pages[-1].next_cursor:
        pages.append(queue_page(qs, sort=sort, after=pages[-1].next_cursor, size=size))
        assert len(pages) < 100
    back = [pages[-1]]
    while back[0].prev_cursor:
        back.insert(0, queue_page(qs, sort=sort, before=back[0].prev_cursor, size=size))
        assert len(back) < 100
    assert back[0].is_first
    return [c.pk for p in pages for c in p.rows], [c.pk for p in back for c in p.rows]


rows = st.lists(
    st.tuples(
        st.integers(0, 4),  # reported: five distinct seconds, so many ties
        st.sampled_from(list(Priority)),
        st.one_of(st.none(), st.integers(0, 3)),  # due: four values or none, ties again
    ),
    max_size=14,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, sort=st.sampled_from(list(Sort)), size=st.integers(1, 4))
def test_keyset_paging_returns_every_row_once_in_order_both_ways(kod_lead, rows, sort, size):
    category = CategoryFactory.create()
    with transaction.atomic():
        base = datetime(2026, 1, 1, tzinfo=UTC)
        concerns = [
            ConcernFactory.create(
                category=category,
                reported_at=base + timedelta(seconds=r),
                priority=p,
                due_at=None if d is None else base + timedelta(hours=d),
            )
            for r, p, d in rows
        ]
        forward, backward = _walk(kod_lead, sort, size)

        assert forward == _expected(concerns, sort)
        assert backward == forward
        transaction.set_rollback(True)


def test_the_first_page_has_no_way_back_and_the_last_no_way_on(kod_lead):
    for _ in range(3):
        ConcernFactory.create()
    qs = queue_concerns(user=kod_lead, scope=_kod_scope(kod_lead), flt=QueueFilter(), now=NOW)

    first = queue_page(qs, sort=Sort.NEWEST, size=2)
    second = queue_page(qs, sort=Sort.NEWEST, after=first.next_cursor, size=2)

    assert first.is_first and first.prev_cursor is None and first.next_cursor
    assert not second.is_first and second.prev_cursor and second.next_cursor is None
    assert len(second.rows) == 1


def test_going_back_past_the_start_gives_the_first_page_as_it_is_now(kod_lead):
    a, b, c = (ConcernFactory.create(reported_at=NOW - timedelta(minutes=i)) for i in range(3))
    qs = queue_concerns(user=kod_lead, scope=_kod_scope(kod_lead), flt=QueueFilter(), now=NOW)
    second = queue_page(
        qs, sort=Sort.NEWEST, after=queue_page(qs, sort=Sort.NEWEST, size=2).next_cursor, size=2
    )
    a.delete()

    back = queue_page(qs, sort=Sort.NEWEST, before=second.prev_cursor, size=2)

    assert [x.pk for x in second.rows] == [c.pk]
    assert back.is_first and back.prev_cursor is None
    assert [x.pk for x in back.rows] == [b.pk, c.pk]


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "",
        "eyJzIjoibmV3ZXN0In0:1abc:def",
        signing.dumps({"s": "newest", "k": ["x", 1]}, salt="elsewhere"),
    ],
    # fixed ids: the signed token differs per process, and xdist workers must collect the same tests
    ids=["garbage", "empty", "bad-signature", "other-salt"],
)
def test_a_tampered_cursor_gives_the_first_page(kod_lead, token):
    ConcernFactory.create()
    qs = queue_concerns(user=kod_lead, scope=_kod_scope(kod_lead), flt=QueueFilter(), now=NOW)

    page = queue_page(qs, sort=Sort.NEWEST, after=token)

    assert page.is_first
    assert page.cursor_rejected == bool(token)
    assert len(page.rows) == 1


def test_a_cursor_of_another_sort_order_is_refused():
    concern = ConcernFactory.create(due_at=NOW)
    token = cursor_encode(Sort.DUE, concern)

    assert cursor_decode(token, Sort.DUE) == [NOW, concern.pk]
    assert cursor_decode(token, Sort.NEWEST) is None


@pytest.mark.parametrize(
    "values",
    [["2026-01-01T00:00:00", 1], ["2026-01-01T00:00:00+00:00", "1"], [None, 1], [1], "x"],
)
def test_a_signed_cursor_with_wrong_values_is_refused(values):
    token = signing.dumps({"s": "newest", "k": values}, salt="kontaktpunkt.cases.queue.cursor")

    assert cursor_decode(token, Sort.NEWEST) is None


# --------------------------------------------------------------------------- counts


def test_counts_match_the_filter_and_ignore_their_own_facet(kod_lead):
    order, social = (
        CategoryFactory.create(field=Field.ORDER),
        CategoryFactory.create(field=Field.SOCIAL),
    )
    for status, category in [
        (Status.NEW, order),
        (Status.NEW, order),
        (Status.NEW, social),
        (Status.CLOSED, order),
    ]:
        ConcernFactory.create(status=status, category=category)
    flt = QueueFilter(statuses=(Status.NEW,), field=Field.ORDER)

    counts = queue_counts(user=kod_lead, scope=_kod_scope(kod_lead), flt=flt, now=NOW)

    assert (counts.total.count, counts.total.capped) == (2, False)
    statuses = {c.value: c.count for c in counts.statuses}
    assert statuses["new"] == 2 and statuses["closed"] == 1 and statuses["triaged"] == 0
    assert [c.value for c in counts.statuses if c.selected] == ["new"]
    fields = {c.value: c.count for c in counts.fields}
    assert fields == {"order": 2, "social": 1, "security": 0, "cleanliness": 0}
    assert [c.value for c in counts.fields if c.selected] == ["order"]


def test_counts_stop_at_the_cap(kod_lead):
    for _ in range(4):
        ConcernFactory.create()

    counts = queue_counts(
        user=kod_lead, scope=_kod_scope(kod_lead), flt=QueueFilter(), now=NOW, cap=3
    )

    assert (counts.total.count, counts.total.capped, counts.total.display) == (3, True, "3+")
    new = next(c for c in counts.statuses if c.value == "new")
    assert new.capped and new.display == "3+"


def test_a_large_count_is_shown_with_a_german_thousands_separator():
    from kontaktpunkt.cases.queries import FacetCount

    assert FacetCount("", "", 10_000, capped=True).display == "10.000+"
    assert FacetCount("", "", 1_234, capped=False).display == "1.234"


def test_now_is_passed_in_so_overdue_does_not_depend_on_the_clock(kod_lead):
    ConcernFactory.create(status=Status.NEW, due_at=timezone.now() + timedelta(days=400))
    flt = QueueFilter(overdue=True)
    scope = _kod_scope(kod_lead)
    later = timezone.now() + timedelta(days=401)

    assert queue_concerns(user=kod_lead, scope=scope, flt=flt, now=timezone.now()).count() == 0
    assert queue_concerns(user=kod_lead, scope=scope, flt=flt, now=later).count() == 1
