"""The plan of a demo world: reference data, seeded random sources, and concerns sketched from them.

The world spans a window of time (demo_window): by default the 365 days up to now, so that the
latest concerns are still being worked on; or one fixed calendar year.

A sketch fixes a concern's channel, intake point, recording person, category, time and place; the
sketches are sorted by time, about one in twenty becomes a second report of an earlier one, and the
places are resolved to districts, quarters and zones in one go (geo.resolve.resolve_many).
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kontaktpunkt.accounts.models import Role, Unit, User
from kontaktpunkt.core.business_time import ScheduleSpec
from kontaktpunkt.core.selectors import default_office_spec, schedule_spec
from kontaktpunkt.demo import patterns
from kontaktpunkt.demo.lifecycle import Person, Staff, UnitRef
from kontaktpunkt.demo.people import DemoUser
from kontaktpunkt.demo.phrases_de import PHRASES
from kontaktpunkt.demo.places import (
    Anchor,
    PlaceSampler,
    SampledPlace,
    hotspots_load,
    split_address,
)
from kontaktpunkt.demo.timing import (
    TimeTable,
    clock_chunks,
    schedule_chunks,
    snow_days,
    table_build,
)
from kontaktpunkt.geo.models import Facility
from kontaktpunkt.geo.resolve import NO_ID, resolve_many
from kontaktpunkt.geo.selectors import place_index
from kontaktpunkt.intake.models import Category, IntakePoint

Log = Callable[[str], None]
WINDOW_DAYS = 365


class DemoError(Exception):
    """The demo world cannot be built as asked (e.g. a year in the future)."""


def demo_window(*, year: int | None, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The [start, end) of the demo concerns in UTC: the calendar `year` (up to `now` at most), or
    without a year the WINDOW_DAYS days ending at `now`."""
    now = now.astimezone(UTC)
    if year is None:
        return now - timedelta(days=WINDOW_DAYS), now
    start = datetime(year, 1, 1, tzinfo=tz).astimezone(UTC)
    end = min(datetime(year + 1, 1, 1, tzinfo=tz).astimezone(UTC), now)
    return start, end


def window_years(start: datetime, end: datetime, tz: ZoneInfo) -> range:
    """The local calendar years the window [start, end) touches."""
    last = (end - timedelta(microseconds=1)).astimezone(tz).year
    return range(start.astimezone(tz).year, max(last, start.astimezone(tz).year) + 1)


class Progress:
    """Stage lines with elapsed time."""

    def __init__(self, log: Log) -> None:
        self.log = log
        self.started = time.perf_counter()
        self.stage = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def done(self, text: str) -> None:
        self.stage += 1
        self.log(f"[{self.stage}] {text} ({self.elapsed():.1f} s)")


@dataclass
class Sketch:
    """One concern as planned, before it is written."""

    reported_at: datetime
    channel: str
    category: Category
    place: SampledPlace | None
    point: IntakePoint | None = None
    created_by: Person | None = None
    duplicate_of: int | None = None
    district_id: int | None = None
    quarter_id: int | None = None
    zone_ids: tuple[int, ...] = ()
    outside_city: bool = False
    h3_cell: str = ""


def person(user: User) -> Person:
    return Person(id=user.pk, label=str(user))


class WorldPlan:
    """The reference data of one build and the seeded random sources that plan it."""

    def __init__(
        self,
        *,
        seed: int,
        start: datetime,
        end: datetime,
        tz: ZoneInfo,
        tenant: str,
        people: Sequence[tuple[DemoUser, User]],
    ) -> None:
        self.seed, self.tz = seed, tz
        self.start, self.end = start.astimezone(UTC), end.astimezone(UTC)
        self.now = self.end  # life cycles run up to the end of the window
        self.years = window_years(self.start, self.end, tz)
        self.rng = random.Random(f"{seed}-plan")
        # Sorted in Python: the database's collation would order "order-dogs" and "order-drinking"
        # differently on PostgreSQL and SQLite, and the same seed must give the same world on both.
        active = Category.objects.filter(active=True).select_related("default_unit")
        self.categories = sorted((c for c in active if c.code in PHRASES), key=lambda c: c.code)
        if not self.categories:
            raise DemoError("Keine Kategorien gefunden: sind die Migrationen gelaufen?")
        self.by_field: dict[str, list[Category]] = {}
        for category in self.categories:
            self.by_field.setdefault(category.field, []).append(category)
        self.points: dict[str, IntakePoint] = {}
        for point in (
            IntakePoint.objects.filter(active=True)
            .select_related("schedule")
            .prefetch_related("schedule__rules", "schedule__dates")
            .order_by("id")
        ):
            self.points.setdefault(point.kind, point)
        self.units = self._units()
        self.staff, self.roles = self._staff(people)
        anchors = [
            Anchor(kind=f.kind, lat=f.lat, lon=f.lon, street=street, number=number)
            for f in Facility.objects.order_by("id")
            for street, number in [split_address(f.street)]
            if street
        ]
        self.sampler = PlaceSampler(hotspots_load(tenant), anchors)
        self.snow = frozenset().union(
            *(
                snow_days(random.Random(f"{seed}-snow-{y}"), y, patterns.SNOW_DAYS_PER_YEAR)
                for y in self.years
            )
        )
        self._chunks: dict[str, Any] = {}
        self._tables: dict[tuple[str, str], TimeTable] = {}
        self._labels: dict[int, str] = {}

    def _units(self) -> dict[int, UnitRef]:
        refs = {}
        for unit in Unit.objects.select_related("service_schedule").prefetch_related(
            "service_schedule__rules", "service_schedule__dates"
        ):
            spec: ScheduleSpec = (
                schedule_spec(unit.service_schedule)
                if unit.service_schedule is not None
                else default_office_spec()
            )
            refs[unit.pk] = UnitRef(unit.pk, unit.slug, str(unit), unit.is_partner, spec)
        return refs

    def _staff(
        self, people: Sequence[tuple[DemoUser, User]]
    ) -> tuple[Staff, dict[Role, list[Person]]]:
        roles: dict[Role, list[Person]] = {}
        partners: dict[str, tuple[Person, ...]] = {}
        for spec, user in people:
            roles.setdefault(spec.role, []).append(person(user))
            if spec.role == Role.PARTNER:
                partners[spec.unit_slug] = (*partners.get(spec.unit_slug, ()), person(user))
        staff = Staff(
            desk=tuple(roles.get(Role.DESK_CLERK, [])),
            officers=tuple(roles.get(Role.KOD_OFFICER, [])),
            leads=tuple(roles.get(Role.KOD_LEAD, [])),
            streetworkers=tuple(roles.get(Role.STREETWORKER, [])),
            partners=partners,
        )
        return staff, roles

    # -- time tables

    def _frame_chunks(self, frame: str) -> Any:
        chunks = self._chunks.get(frame)
        if chunks is None:
            if frame == "clock":
                chunks = clock_chunks(self.start, self.end, self.tz)
            elif frame == "service":
                kod = next((u for u in self.units.values() if u.slug == "kod"), None)
                spec = kod.spec if kod else default_office_spec()
                chunks = schedule_chunks(spec, self.start, self.end, self.tz)
            else:
                point = self.points[frame]
                chunks = schedule_chunks(
                    schedule_spec(point.schedule), self.start, self.end, self.tz
                )
            self._chunks[frame] = chunks
        return chunks

    def table(self, frame: str, profile: str) -> TimeTable:
        """Weighted times for concerns taken through `frame` with the category's `profile`."""
        key = (frame, profile)
        table = self._tables.get(key)
        if table is None:
            hours, weekdays, months = patterns.PROFILES[profile]
            if frame in {"contact_point", "mobile_station", "dialogue_day"}:
                hours = patterns.HOURS_DESK
                weekdays = tuple(a * b for a, b in zip(weekdays, patterns.WEEK_DESK, strict=True))
            elif frame == "clock":
                hours = tuple(a * b for a, b in zip(hours, patterns.HOURS_AWAKE, strict=True))
            table = table_build(
                self._frame_chunks(frame),
                hours=hours,
                weekdays=weekdays,
                months=months,
                only_days=self.snow if profile == "snow" else None,
            )
            self._tables[key] = table
        return table

    # -- sketching

    def _pick(self, shares: dict[str, float]) -> str:
        keys = list(shares)
        return self.rng.choices(keys, [shares[k] for k in keys])[0]

    def _category(self, shares: dict[str, float]) -> Category:
        present = {f: s for f, s in shares.items() if f in self.by_field}
        candidates = self.by_field[self._pick(present)]
        weights = [patterns.CATEGORY_WEIGHTS.get(c.code, 1.0) for c in candidates]
        return self.rng.choices(candidates, weights)[0]

    def _channel_frame(self, channel: str) -> tuple[str, IntakePoint | None, Person | None]:
        rng, roles = self.rng, self.roles
        if channel == "walk_in":
            shares = {k: s for k, s in patterns.WALK_IN_POINT_SHARES.items() if k in self.points}
            kind = self._pick(shares) if shares else ""
        elif channel == "phone":
            shares = {k: s for k, s in patterns.PHONE_POINT_SHARES.items() if k in self.points}
            kind = self._pick(shares) if shares else ""
        else:
            kind = ""
        point = self.points.get(kind) if kind else None
        if channel == "walk_in" and point is not None:
            pool = roles[Role.DESK_CLERK] if kind == "contact_point" and rng.random() < 0.7 else []
            pool = pool or roles[Role.KOD_OFFICER]
            return kind, point, rng.choice(pool)
        if channel == "phone" and point is not None:
            role = Role.DESK_CLERK if kind == "contact_point" else Role.KOD_LEAD
            return kind, point, rng.choice(roles[role])
        if channel in {"walk_in", "phone", "field"}:
            return "service", None, rng.choice(roles[Role.KOD_OFFICER])
        if channel == "email":  # the order service's mailbox, read by its office
            return "clock", self.points.get("office"), None
        return "clock", None, None

    def _sketch_one(self) -> Sketch:
        rng = self.rng
        channel = self._pick(patterns.CHANNEL_SHARES)
        frame, point, created_by = self._channel_frame(channel)
        shares = patterns.FIELD_SHARES[channel]
        if frame == "mobile_station":
            shares = patterns.MOBILE_STATION_FIELD_SHARES
        for _attempt in range(20):
            category = self._category(shares)
            profile = patterns.CATEGORY_PROFILES.get(category.code, "day")
            table = self.table(frame, profile)
            if table:
                break
        else:
            table = self.table(frame, "day")
        if not table:  # the intake point never opens in the window: take it by e-mail instead
            channel, frame, point, created_by = "email", "clock", self.points.get("office"), None
            table = self.table(frame, "day")
        reported_at = table.sample(rng)
        if channel == "field" and category.field == "social" and rng.random() < 0.4:
            created_by = rng.choice(self.roles[Role.STREETWORKER])
        without_place = {"email": 0.15, "phone": 0.10}.get(channel, 0.0)
        place = None if rng.random() < without_place else self.sampler.sample(rng, category.code)
        return Sketch(reported_at, channel, category, place, point, created_by)

    def sketch(self, count: int, clock: Progress) -> list[Sketch]:
        sketches = []
        step = max(1, count // 4)
        for i in range(count):
            sketches.append(self._sketch_one())
            if (i + 1) % step == 0 and i + 1 < count:
                clock.log(f"    Planung {100 * (i + 1) // count} % ({i + 1}/{count})")
        sketches.sort(key=lambda s: s.reported_at)
        self._duplicates(sketches)
        return sketches

    def _duplicates(self, sketches: list[Sketch]) -> None:
        """About one in twenty concerns repeats an earlier one: same place, same kind, within days."""
        rng = random.Random(f"{self.seed}-duplicates")
        times = [s.reported_at for s in sketches]
        for i, sketch in enumerate(sketches):
            if sketch.channel == "field" or rng.random() >= 0.05:
                continue
            low = bisect_left(times, sketch.reported_at - timedelta(hours=72), 0, i)
            if low >= i:
                continue
            j = rng.randrange(low, i)
            original = sketches[j]
            if original.duplicate_of is not None or original.place is None:
                continue
            sketch.category = original.category
            sketch.place = self.sampler.near(rng, original.place)
            sketch.duplicate_of = j

    def resolve(self, sketches: Sequence[Sketch]) -> int:
        located = [s for s in sketches if s.place is not None]
        if not located:
            return 0
        lats = [s.place.lat for s in located if s.place is not None]
        lons = [s.place.lon for s in located if s.place is not None]
        result = resolve_many(place_index(), lats, lons, with_h3=True)
        zones = result.zone_ids_per_point()
        districts = result.district_ids.tolist()
        quarters = result.quarter_ids.tolist()
        inside = result.inside_city.tolist()
        for i, sketch in enumerate(located):
            sketch.district_id = None if districts[i] == NO_ID else int(districts[i])
            sketch.quarter_id = None if quarters[i] == NO_ID else int(quarters[i])
            sketch.zone_ids = zones[i]
            sketch.outside_city = not inside[i]
            sketch.h3_cell = result.h3_cells[i] if result.h3_cells else ""
        return len(located)

    def label(self, category: Category) -> str:
        label = self._labels.get(category.pk)
        if label is None:
            label = self._labels[category.pk] = str(category)
        return label
