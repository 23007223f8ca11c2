"""A small demo world, built once for this module on the test database and rolled back after it.

It spans the default window, the 365 days up to a fixed `now`, which crosses New Year.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from kontaktpunkt.accounts.models import Membership, Role, User
from kontaktpunkt.core.business_time import is_open_at
from kontaktpunkt.core.selectors import schedule_spec
from kontaktpunkt.demo.people import DEMO_LOGINS, DEMO_PASSWORD
from kontaktpunkt.demo.world import DemoReport, demo_world_build, demo_world_exists
from kontaktpunkt.intake.models import (
    OPEN_STATUSES,
    Channel,
    Concern,
    ConcernEvent,
    Field,
    ReferenceCounter,
    ReporterContact,
    Status,
)

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=TZ)
START = NOW - timedelta(days=365)
END = NOW
COUNT = 500
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"  # as conftest.py sets for each test


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoReport]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        transaction.atomic(),
    ):
        lines: list[str] = []
        report = demo_world_build(seed=2026, concerns=COUNT, now=NOW, log=lines.append)
        report.counts["log_lines"] = len(lines)
        yield report
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_it_builds_the_asked_number_of_concerns_and_reports_progress(world: DemoReport) -> None:
    assert world.built
    assert Concern.objects.count() == COUNT == world.counts["concerns"]
    assert world.counts["log_lines"] >= 6


def test_it_has_concerns_from_every_channel_and_every_field(world: DemoReport) -> None:
    assert set(Concern.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Concern.objects.values_list("category__field", flat=True)) == set(Field.values)


def test_cleanliness_is_reported_most_then_order_then_security_and_social(
    world: DemoReport,
) -> None:
    fields = Counter(Concern.objects.values_list("category__field", flat=True))
    assert fields["cleanliness"] > fields["order"] > fields["security"]
    assert fields["order"] > fields["social"]


def test_concerns_at_intake_points_are_taken_only_while_they_are_open(world: DemoReport) -> None:
    taken = Concern.objects.filter(
        channel__in=[Channel.WALK_IN, Channel.PHONE], intake_point__isnull=False
    ).select_related("intake_point__schedule")
    kinds = set()
    for concern in taken:
        point = concern.intake_point
        assert point is not None
        if concern.channel == Channel.WALK_IN or point.kind == "contact_point":
            kinds.add(point.kind)
            spec = schedule_spec(point.schedule)
            assert is_open_at(spec, concern.reported_at, TZ), (point.slug, concern.reported_at)
    assert "contact_point" in kinds


def test_the_default_window_ends_at_now_and_spans_365_days(world: DemoReport) -> None:
    times = sorted(Concern.objects.values_list("reported_at", flat=True))
    assert START <= times[0] < START + timedelta(days=7)
    assert END - timedelta(days=3) < times[-1] <= END
    months = {(t.astimezone(TZ).year, t.astimezone(TZ).month) for t in times}
    assert len(months) >= 12


def test_concerns_of_the_last_days_are_still_open_and_few_are_overdue_by_months(
    world: DemoReport,
) -> None:
    recent = Concern.objects.filter(reported_at__gte=NOW - timedelta(days=3))
    assert recent.filter(status__in=OPEN_STATUSES).exists()
    open_concerns = Concern.objects.filter(status__in=OPEN_STATUSES)
    long_overdue = open_concerns.filter(due_at__lt=NOW - timedelta(days=60)).count()
    assert long_overdue < 0.05 * COUNT


def test_statuses_agree_with_their_timestamps(world: DemoReport) -> None:
    for c in Concern.objects.all():
        assert (c.resolved_at is not None) == (c.status in {Status.RESOLVED, Status.CLOSED})
        assert (c.closed_at is not None) == (c.status == Status.CLOSED)
        assert (c.duplicate_of_id is not None) == (c.status == Status.DUPLICATE)
        assert c.reported_at <= c.created_at <= c.updated_at <= END
        assert c.due_at is not None and c.due_at > c.reported_at
        if c.resolved_at is not None:
            assert c.reported_at < c.resolved_at <= END
        if c.closed_at is not None and c.resolved_at is not None:
            assert c.resolved_at < c.closed_at <= END


def test_every_concern_has_a_created_event_at_its_reported_at_and_an_ordered_timeline(
    world: DemoReport,
) -> None:
    events: dict[int, list[ConcernEvent]] = {}
    for event in ConcernEvent.objects.order_by("concern_id", "at", "id"):
        events.setdefault(event.concern_id, []).append(event)
    for concern in Concern.objects.all():
        timeline = events[concern.pk]
        assert timeline[0].kind == "created"
        assert timeline[0].at == concern.reported_at
        assert [e.kind for e in timeline].count("created") == 1
        assert timeline[-1].at <= END
        assert concern.version == len(timeline)
        statuses = [e.changes["status"] for e in timeline if "status" in e.changes]
        assert statuses[0] == [None, "new"]
        for before, after in itertools.pairwise(statuses):
            assert after[0] == before[1]
        assert statuses[-1][1] == concern.status


def test_old_concerns_are_mostly_done_and_the_latest_still_open(world: DemoReport) -> None:
    concerns = list(Concern.objects.order_by("reported_at"))
    first_half = concerns[: len(concerns) // 2]
    done = sum(1 for c in first_half if c.status not in OPEN_STATUSES)
    assert done / len(first_half) > 0.9
    assert any(c.status in OPEN_STATUSES for c in concerns[-20:])
    assert Concern.objects.filter(status=Status.REJECTED).exists()


def test_duplicates_point_to_an_earlier_concern_of_the_same_kind_nearby(world: DemoReport) -> None:
    duplicates = Concern.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    assert duplicates.exists()
    for concern in duplicates:
        original = concern.duplicate_of
        assert original is not None
        assert original.reported_at <= concern.reported_at
        assert original.category_id == concern.category_id
        assert concern.lat is not None and original.lat is not None
        assert concern.lon is not None and original.lon is not None
        metres = math.hypot(
            (concern.lat - original.lat) * 111_320,
            (concern.lon - original.lon) * 111_320 * math.cos(math.radians(concern.lat)),
        )
        assert metres < 60


def test_references_cover_both_years_and_each_years_counter_equals_its_highest_number(
    world: DemoReport,
) -> None:
    references = list(Concern.objects.values_list("reference", "reported_at"))
    assert len({r for r, _ in references}) == len(references)
    by_year: dict[int, list[int]] = {}
    for reference, reported_at in references:
        match = re.fullmatch(r"KP-(\d{4})-(\d{6})", reference)
        assert match, reference
        year = int(match[1])
        assert year == reported_at.astimezone(TZ).year
        by_year.setdefault(year, []).append(int(match[2]))
    assert set(by_year) == {2025, 2026}
    for year, numbers in by_year.items():
        numbers.sort()
        assert numbers == list(range(1, len(numbers) + 1))
        assert ReferenceCounter.objects.get(prefix="KP", year=year).last_number == numbers[-1]


def test_references_rise_with_the_time_of_report(world: DemoReport) -> None:
    ordered = list(
        Concern.objects.order_by("reported_at", "reference").values_list("reference", flat=True)
    )
    assert ordered == sorted(ordered)


def test_social_concerns_need_help_and_go_to_streetwork_or_the_drug_help(
    world: DemoReport,
) -> None:
    social = Concern.objects.filter(category__field=Field.SOCIAL).select_related("responsible_unit")
    assert social.exists()
    for concern in social:
        assert concern.needs_help
        assert concern.responsible_unit is not None
        assert concern.responsible_unit.slug in {"streetwork", "drug-help"}
        assert not concern.is_public


def test_places_are_resolved_to_districts_and_zones(world: DemoReport) -> None:
    located = Concern.objects.filter(lat__isnull=False)
    assert located.filter(district__isnull=False).count() > 0.9 * located.count()
    assert located.exclude(h3_cell="").count() == located.count()
    assert Concern.zones.through.objects.exists()
    assert all(c.address for c in Concern.objects.all())


def test_reporter_contacts_are_kept_only_with_consent(world: DemoReport) -> None:
    contacts = ReporterContact.objects.select_related("concern")
    assert contacts.exists()
    for contact in contacts:
        assert contact.consent
        assert contact.consent_at == contact.concern.reported_at
        assert contact.name or contact.email or contact.phone
        assert not contact.email or contact.email.endswith(
            ("example.org", "example.net", "example.com")
        )
    assert not contacts.filter(concern__channel=Channel.FIELD).exists()


def test_there_is_a_login_for_every_role_in_its_unit(world: DemoReport) -> None:
    assert {login.username for login in world.logins} == {spec.username for spec in DEMO_LOGINS}
    roles = set()
    for spec in DEMO_LOGINS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert Membership.objects.filter(
            user=user, unit__slug=spec.unit_slug, role=spec.role
        ).exists()
        roles.add(spec.role)
    assert roles == set(Role)
    assert User.objects.get(username="demo-admin").is_staff


def test_building_again_changes_nothing(world: DemoReport) -> None:
    before = (Concern.objects.count(), ConcernEvent.objects.count(), User.objects.count())
    report = demo_world_build(seed=2026, concerns=COUNT, now=NOW)
    assert not report.built
    assert demo_world_exists()
    assert (Concern.objects.count(), ConcernEvent.objects.count(), User.objects.count()) == before
    assert len(report.logins) == len(DEMO_LOGINS)
