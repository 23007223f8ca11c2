"""Build the demo world: a tenant's geography, a person for every role and a year of concerns.

`demo_world_build` is the one entry point (the `kontaktpunkt demo` command calls it). From a fixed
seed it plans about 20,000 concerns over a year (by default the 365 days up to now, or a fixed
calendar year) — channel, intake point, category, time, place, reporter, text and life cycle — and
writes them with bulk inserts in one transaction, so that the world either exists completely or not
at all. It is idempotent: when demo concerns exist it only returns the logins, unless `force` is
given, which replaces the demo concerns by freshly built ones.

Demo concerns are recognisable by their status-page secret, which starts with DEMO_TOKEN_PREFIX.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.demo.people import DEMO_LOGINS, DEMO_PASSWORD, demo_people_ensure
from kontaktpunkt.demo.plan import DemoError, Log, Progress, WorldPlan, demo_window
from kontaktpunkt.demo.roster import demo_roster_ensure
from kontaktpunkt.demo.write import DEMO_TOKEN_PREFIX, concerns_write
from kontaktpunkt.intake.models import Concern, ConcernEvent, ReporterContact
from kontaktpunkt.tenants.loader import tenant_is_loaded, tenant_load


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    unit: str
    display_name: str


@dataclass
class DemoReport:
    built: bool
    logins: list[DemoLogin]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# --------------------------------------------------------------------------- reads


def demo_concerns() -> QuerySet[Concern]:
    return Concern.objects.filter(public_token__startswith=DEMO_TOKEN_PREFIX)


def demo_world_exists() -> bool:
    return bool(demo_concerns().exists())


def demo_logins() -> list[DemoLogin]:
    units = {u.slug: u for u in Unit.objects.all()}
    return [
        DemoLogin(
            username=spec.username,
            password=DEMO_PASSWORD,
            role=str(spec.role.label),
            unit=str(units[spec.unit_slug]) if spec.unit_slug in units else spec.unit_slug,
            display_name=spec.display_name,
        )
        for spec in DEMO_LOGINS
    ]


# --------------------------------------------------------------------------- build


def demo_world_build(
    *,
    seed: int = 2026,
    concerns: int = 20_000,
    year: int | None = None,
    force: bool = False,
    log: Log | None = None,
    tenant: str | None = None,
    now: datetime | None = None,
) -> DemoReport:
    """Build the demo world unless it exists (or rebuild it with `force`); returns the logins.

    The concerns fall in the 365 days ending at `now`, or with `year` in that calendar year.
    """
    clock = Progress(log or (lambda _line: None))
    tenant = tenant or settings.KP_TENANT
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    if concerns < 1:
        raise DemoError("Es muss mindestens ein Anliegen erzeugt werden.")
    this_year = now.astimezone(tz).year
    if year is not None and year > this_year:
        raise DemoError(f"Das Demo-Jahr {year} liegt in der Zukunft.")
    start, end = demo_window(year=year, now=now, tz=tz)

    if not tenant_is_loaded(tenant):
        first_year = start.astimezone(tz).year
        tenant_load(name=tenant, dialogue_years=range(first_year - 1, this_year + 2))
        clock.done(f"Mandant {tenant} geladen")
    if demo_world_exists() and not force:
        demo_roster_ensure(today=now.astimezone(tz).date(), log=clock.done)
        clock.done("Demo-Welt besteht bereits, nichts zu tun")
        return DemoReport(built=False, logins=demo_logins(), seconds=clock.elapsed())

    with transaction.atomic():
        if force:
            removed = _demo_concerns_delete()
            clock.done(f"{removed} alte Demo-Anliegen entfernt")
        people = demo_people_ensure()
        clock.done(f"{len(people)} Demo-Personen angelegt")
        world = WorldPlan(seed=seed, start=start, end=end, tz=tz, tenant=tenant, people=people)
        clock.done(
            f"Stammdaten: {len(world.categories)} Kategorien, {len(world.points)} Annahmestellen, "
            f"{len(world.sampler.anchors)} Einrichtungen, {len(world.sampler.hotspots)} Hotspots"
        )
        sketches = world.sketch(concerns, clock)
        last_day = (world.end - timedelta(microseconds=1)).astimezone(tz)
        clock.done(
            f"{len(sketches)} Anliegen geplant "
            f"({world.start.astimezone(tz):%d.%m.%Y} bis {last_day:%d.%m.%Y})"
        )
        located = world.resolve(sketches)
        clock.done(f"{located} Orte Stadtteilen, Quartieren und Zonen zugeordnet")
        counts = concerns_write(world, sketches, clock)
        demo_roster_ensure(today=now.astimezone(tz).date(), log=clock.done)
    clock.done(
        f"Fertig: {counts['concerns']} Anliegen, {counts['events']} Ereignisse, "
        f"{counts['contacts']} Kontaktdaten"
    )
    return DemoReport(built=True, logins=demo_logins(), counts=counts, seconds=clock.elapsed())


def _demo_concerns_delete() -> int:
    demo = demo_concerns()
    Concern.objects.filter(duplicate_of__in=demo).update(duplicate_of=None)
    ConcernEvent.objects.filter(concern__in=demo).delete()
    ReporterContact.objects.filter(concern__in=demo).delete()
    Concern.zones.through.objects.filter(concern__in=demo).delete()
    count, _ = demo.delete()
    return count
