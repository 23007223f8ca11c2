"""cases.queue_*: the queue page on PostgreSQL with 1,000,000 concerns.

`make bench` configures Django for a throwaway SQLite database; this benchmark needs PostgreSQL, so
run() starts `python -m bench.bench_queue --measure` with DATABASE_URL pointing at its own database
(`kontaktpunkt_bench` on KP_BENCH_PG_SERVER, default postgres://postgres@127.0.0.1:5432) and reads
the JSON that process prints. When the server does not answer, the benchmark is absent.

The measuring process
1. keeps the database when it already holds the concerns of this seed and generator version (a
   marker table says so), otherwise drops and creates it;
2. migrates (so a new index migration reaches a kept database too);
3. on a new database loads the Krefeld tenant (tenants.loader.tenant_load), adds the staff of the
   units, and fills 1,000,000 concerns generated with a seeded numpy RNG over three years: channel,
   field and category shares and the hour and weekday curves of the demo world
   (kontaktpunkt/demo/patterns.py), responsible unit and priority from the category, places in the
   tenant's quarters, a status that follows from the concern's age and a log-normal time to
   resolution, assignees from the unit's staff. Rows go in by COPY with the secondary indexes
   dropped and rebuilt afterwards, then VACUUM ANALYZE;
4. measures through the Django test client (a KOD lead signed in with force_login, persistent
   database connection as in production, KP_DB_CONN_MAX_AGE=600) beside the same query written as
   raw SQL and run over psycopg, alternating, medians after a warm-up.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import numpy as np
import psycopg

from bench.common import PG_SERVER, Result, measure_in_subprocess, median, spread

ROWS = int(os.environ.get("KP_BENCH_QUEUE_ROWS", "1000000"))  # fewer only to try the code
SEED = 20_251_203
GENERATOR_VERSION = 2  # bump when the generated data changes
DB_NAME = "kontaktpunkt_bench"
RUNS = 25
WARMUP = 3
DEEP_PAGE = 500
YEARS = 3
STAFF = {
    "kod": ("kod_officer", 48, 3),
    "streetwork": ("streetworker", 10, 0),
    "desk": ("desk_clerk", 8, 0),
}
LEAD = "bench-kod-lead"


def log(message: str) -> None:
    print(f"   [bench_queue] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- parent process


def run() -> list[Result]:
    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5).close()
    except psycopg.Error as exc:
        print(f"   bench_queue: PostgreSQL at {PG_SERVER} does not answer, skipped ({exc})")
        return []
    return measure_in_subprocess("bench.bench_queue", f"{PG_SERVER}/{DB_NAME}")


# ----------------------------------------------------------------------------- the database


def _admin_connection() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)


def _marker() -> str:
    return f"seed={SEED} rows={ROWS} version={GENERATOR_VERSION}"


def database_prepare() -> bool:
    """Keep the database if it holds this seed's concerns (True), else drop and create it."""
    with _admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    if exists:
        try:
            with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as conn:
                row = conn.execute("SELECT value FROM kp_bench_meta WHERE key = 'data'").fetchone()
            if row and row[0] == _marker():
                return True
        except psycopg.Error:
            pass
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    return False


def staff_create() -> None:
    from kontaktpunkt.accounts.models import Membership, Role, Unit, User

    units = {u.slug: u for u in Unit.objects.all()}
    users, memberships = [], []
    for slug, (role, count, leads) in STAFF.items():
        for i in range(count + leads):
            user = User(username=f"bench-{slug}-{i:02d}", display_name=f"{slug.title()} {i:02d}")
            user.set_unusable_password()
            users.append(user)
            memberships.append((user, units[slug], Role.KOD_LEAD if i >= count else Role(role)))
    lead = User(username=LEAD, display_name="KOD-Leitung Bench")
    lead.set_unusable_password()
    users.append(lead)
    memberships.append((lead, units["kod"], Role.KOD_LEAD))
    User.objects.bulk_create(users)
    Membership.objects.bulk_create([Membership(user=u, unit=n, role=r) for u, n, r in memberships])


def _weights(values: dict[Any, float], keys: list[Any]) -> np.ndarray:
    w = np.array([values.get(k, 1.0) for k in keys], dtype=float)
    shares: np.ndarray = w / w.sum()
    return shares


def concerns_generate(now: datetime) -> list[str]:
    """ROWS concerns from SEED, as lines of COPY's text format (no tab, newline or backslash)."""
    from shapely.geometry import shape

    from kontaktpunkt.accounts.models import Membership, Unit
    from kontaktpunkt.demo import patterns
    from kontaktpunkt.geo.models import Area, Facility
    from kontaktpunkt.geo.resolve import h3_cell
    from kontaktpunkt.intake.models import Category, IntakePoint, Status

    rng = np.random.default_rng(SEED)
    n = ROWS
    tz = ZoneInfo("Europe/Berlin")

    # When: three years up to now, volume growing 20 % a year, the demo's weekday and hour curves.
    days = YEARS * 365
    first_day = (now.astimezone(tz) - timedelta(days=days)).date()
    day_dates = [first_day + timedelta(days=d) for d in range(days + 1)]
    day_w = np.array(
        [(1.2 ** (d / 365)) * patterns.WEEK_DAY[day.weekday()] for d, day in enumerate(day_dates)]
    )
    day = rng.choice(len(day_dates), size=n, p=day_w / day_w.sum())
    hour_w = np.array(patterns.HOURS_DAY)
    hour = rng.choice(24, size=n, p=hour_w / hour_w.sum())
    second = rng.integers(0, 3600, size=n)  # whole seconds: many concerns share a second
    noon = [datetime(d.year, d.month, d.day, 12, tzinfo=tz) for d in day_dates]
    offsets = np.array([(t.utcoffset() or timedelta()).total_seconds() for t in noon])
    epoch0 = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC).timestamp()
    reported = epoch0 + day * 86400 + hour * 3600 + second - offsets[day]
    reported = np.where(reported > now.timestamp() - 60, reported - 86400, reported)  # not yet

    # What: channel, then field by channel, then category by the demo's weights.
    channels = list(patterns.CHANNEL_SHARES)
    channel = rng.choice(len(channels), size=n, p=_weights(patterns.CHANNEL_SHARES, channels))
    categories = list(Category.objects.order_by("pk"))
    fields = ["security", "order", "cleanliness", "social"]
    field = np.empty(n, dtype=np.int64)
    for c, name in enumerate(channels):
        rows = np.flatnonzero(channel == c)
        field[rows] = rng.choice(4, size=rows.size, p=_weights(patterns.FIELD_SHARES[name], fields))
    category = np.empty(n, dtype=np.int64)
    for f, name in enumerate(fields):
        members = [i for i, cat in enumerate(categories) if cat.field == name]
        rows = np.flatnonzero(field == f)
        w = _weights(patterns.CATEGORY_WEIGHTS, [categories[i].code for i in members])
        category[rows] = np.array(members)[rng.choice(len(members), size=rows.size, p=w)]
    uncategorised = rng.random(n) < 0.01  # e-mails nobody has sorted yet: no category, no deadline

    cat_unit = np.array([c.default_unit_id for c in categories])
    cat_priority = np.array([c.default_priority for c in categories])
    cat_hours = np.array([c.deadline_hours for c in categories], dtype=float)
    cat_help = np.array([c.needs_help for c in categories])
    units = {u.slug: u.pk for u in Unit.objects.all()}
    own = np.array(
        [units[s] for s in ("kod", "streetwork", "desk", "city-works", "street-cleaning")]
    )
    unit = cat_unit[category]
    moved = rng.random(n) < 0.06  # re-routed to another unit after triage
    unit[moved] = own[rng.integers(0, own.size, size=int(moved.sum()))]
    unit[uncategorised] = units["desk"]
    priority = np.clip(cat_priority[category] + rng.choice([-1, 0, 0, 0, 0, 0, 1], size=n), 1, 4)
    needs_help = cat_help[category] | (rng.random(n) < 0.02)

    # Status follows from age: a log-normal time to resolution by priority; 0.4 % get stuck open.
    median_h = np.array([0, 150, 72, 24, 4], dtype=float)[priority]
    delay_h = median_h * rng.lognormal(0.0, 1.1, size=n)
    age_h = (now.timestamp() - reported) / 3600
    stuck = rng.random(n) < 0.004
    is_open = stuck | (age_h < delay_h)
    outcome = rng.choice(3, size=n, p=[0.88, 0.07, 0.05])  # resolved, rejected, duplicate
    progress = np.where(stuck, 0.9, age_h / np.maximum(delay_h, 1e-6))
    partner_units = {units[s] for s in ("city-works", "street-cleaning", "police", "drug-help")}
    to_partner = np.isin(unit, list(partner_units))
    open_status = np.select(
        [progress < 0.1, progress < 0.25, progress < 0.45, (progress >= 0.85) & to_partner],
        [0, 1, 2, 4],
        default=3,
    )
    open_names = np.array(["new", "triaged", "assigned", "in_progress", "waiting_partner"])
    closed_after_h = 14 * 24
    status = np.where(
        is_open,
        open_names[open_status],
        np.where(
            outcome == 1,
            "rejected",
            np.where(
                outcome == 2,
                "duplicate",
                np.where(age_h >= delay_h + closed_after_h, "closed", "resolved"),
            ),
        ),
    )
    if not set(status.tolist()) <= {s.value for s in Status}:
        raise RuntimeError("generated an unknown status")
    due = reported + cat_hours[category] * 3600 * 4.2  # business hours on the calendar, roughly

    # Who works it: the unit's staff, once it is assigned.
    staff: dict[int, np.ndarray] = {}
    for m in Membership.objects.filter(user__username__startswith="bench-", unit__slug__in=STAFF):
        staff.setdefault(m.unit_id, []).append(m.user_id)  # type: ignore[arg-type]
    assignee = np.zeros(n, dtype=np.int64)
    worked = ~np.isin(status, ["new", "triaged", "rejected"])
    for unit_id, people in staff.items():
        rows = np.flatnonzero(worked & (unit == unit_id))
        assignee[rows] = np.array(people)[rng.integers(0, len(people), size=rows.size)]

    # Where: the tenant's quarters, weighted; a point near the quarter's centre; a street nearby.
    quarters = list(Area.objects.filter(level=Area.Level.QUARTER).order_by("pk"))
    centres = [shape(q.geometry).centroid for q in quarters]
    q_w = rng.lognormal(0.0, 0.8, size=len(quarters))
    quarter = rng.choice(len(quarters), size=n, p=q_w / q_w.sum())
    q_ids = np.array([q.pk for q in quarters])
    d_ids = np.array([q.parent_id or 0 for q in quarters])
    lat = np.array([c.y for c in centres])[quarter] + rng.normal(0, 0.004, size=n)
    lon = np.array([c.x for c in centres])[quarter] + rng.normal(0, 0.006, size=n)
    streets = sorted({f.street for f in Facility.objects.exclude(street="")} or {"Ostwall 1"})
    street = rng.integers(0, len(streets), size=n)
    no_place = rng.random(n) < np.where(np.isin(channel, [channels.index("email")]), 0.15, 0.02)

    points = {p.kind: p.pk for p in IntakePoint.objects.all()}
    walk_in, phone = channels.index("walk_in"), channels.index("phone")
    texts = [
        "Seit Tagen liegt hier Müll neben den Containern, bitte kümmern Sie sich darum.",
        "Eine Gruppe trinkt jeden Abend Alkohol am Spielplatz und lässt Scherben liegen.",
        "Die Straßenlaterne vor dem Haus ist seit einer Woche defekt.",
        "Autos parken regelmäßig auf dem Gehweg, Kinderwagen kommen nicht vorbei.",
        "Im Park liegen gebrauchte Spritzen, Kinder spielen dort.",
        "Nachts ist es sehr laut, Musik und Geschrei bis in die frühen Morgenstunden.",
        "Eine Person schläft im Hauseingang und wirkt hilfebedürftig.",
        "Schlagloch auf der Fahrbahn, Radfahrer müssen ausweichen.",
    ]
    text = rng.integers(0, len(texts), size=n)

    order = np.argsort(reported, kind="stable")
    years = np.array([datetime.fromtimestamp(t, tz).year for t in reported[order]])
    numbers = np.empty(n, dtype=np.int64)
    for year in np.unique(years):
        rows = order[years == year]
        numbers[rows] = np.arange(1, rows.size + 1)
    year_of = np.empty(n, dtype=np.int64)
    year_of[order] = years

    def stamp(seconds: np.ndarray) -> np.ndarray:
        text = np.datetime_as_string(
            (seconds * 1e6).astype(np.int64).astype("datetime64[us]"), unit="us"
        )
        return np.char.add(text, "+00")

    null = np.array([r"\N"])
    done_at = reported + delay_h * 3600
    resolved_at = np.where(np.isin(status, ["resolved", "closed"]), done_at, np.nan)
    closed_at = np.where(
        status == "closed",
        done_at + closed_after_h * 3600,
        np.where(np.isin(status, ["rejected", "duplicate"]), done_at, np.nan),
    )
    updated = np.where(status == "new", reported + 30, np.minimum(done_at, now.timestamp()))
    due_text = np.where(uncategorised, null, stamp(due))
    resolved_text = np.where(np.isnan(resolved_at), null, stamp(np.nan_to_num(resolved_at)))
    closed_text = np.where(np.isnan(closed_at), null, stamp(np.nan_to_num(closed_at)))
    reported_text, created_text, updated_text = (
        stamp(reported),
        stamp(reported + 30),
        stamp(updated),
    )
    version = np.where(is_open, 1 + open_status, 4)
    point = points.get("contact_point")

    N = "\\N"  # noqa: N806 - COPY's NULL
    lines: list[str] = []
    for i in range(n):
        placed = not no_place[i]
        cat_id = N if uncategorised[i] else categories[category[i]].pk
        place = (
            f"{lat[i]:.6f}\t{lon[i]:.6f}\t{streets[street[i]]}\t{d_ids[quarter[i]] or N}\t"
            f"{q_ids[quarter[i]]}\tf\t{h3_cell(float(lat[i]), float(lon[i]))}"
            if placed
            else "\\N\t\\N\t\t\\N\t\\N\tf\t"
        )
        lines.append(
            f"KP-{year_of[i]}-{numbers[i]:06d}\t{channels[channel[i]]}\t"
            f"{point if channel[i] in (walk_in, phone) else N}\t{texts[text[i]]}\t{cat_id}\t"
            f"{priority[i]}\t{status[i]}\t{unit[i]}\t{assignee[i] or N}\t"
            f"{'t' if needs_help[i] else 'f'}\t{place}\tf\tbench-{SEED}-{i:08d}\t"
            f"{reported_text[i]}\t{created_text[i]}\t{updated_text[i]}\t{due_text[i]}\t"
            f"{resolved_text[i]}\t{closed_text[i]}\t\\N\t{version[i]}\t{{}}\t\n"
        )
    return lines


_COLUMNS = [
    "reference", "channel", "intake_point_id", "description", "category_id", "priority", "status",
    "responsible_unit_id", "assignee_id", "needs_help", "lat", "lon", "address", "district_id",
    "quarter_id", "outside_city", "h3_cell", "is_public", "public_token", "reported_at",
    "created_at", "updated_at", "due_at", "resolved_at", "closed_at", "escalated_at", "version",
    "extra", "partner_reference",
]  # fmt: skip


def concerns_load(now: datetime) -> None:
    from django.db import connection

    start = time.perf_counter()
    lines = concerns_generate(now)
    log(f"generated {ROWS:,} concerns in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = 'intake_concern' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
        )
        secondary = cursor.fetchall()
        for name, _definition in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during the load
        raw = cursor.connection
        with raw.cursor().copy(f"COPY intake_concern ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for i in range(0, len(lines), 50_000):
                copy.write("".join(lines[i : i + 50_000]))
        cursor.execute("SET session_replication_role = DEFAULT")
        log(f"copied in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in secondary:
            cursor.execute(definition)
        log(f"{len(secondary)} indexes rebuilt in {time.perf_counter() - start:.1f} s")


def database_fill() -> None:
    from django.db import connection

    from kontaktpunkt.tenants.loader import tenant_load

    start = time.perf_counter()
    tenant_load(name="krefeld")
    staff_create()
    concerns_load(datetime.now(UTC))
    connection.close()
    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) intake_concern")
        conn.execute("CREATE TABLE kp_bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute("INSERT INTO kp_bench_meta VALUES ('data', %s)", [_marker()])
    log(f"database filled in {time.perf_counter() - start:.1f} s")


# ----------------------------------------------------------------------------- measuring


def _alternate(fns: list[Callable[[], object]]) -> list[list[float]]:
    for _ in range(WARMUP):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(RUNS):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append((time.perf_counter() - start) * 1000)
    return times


# The page query as one writes it by hand: the same columns, joins, filter and order as the ORM's.
_RAW_SELECT = """
SELECT c.id, c.reference, c.category_id, c.priority, c.status, c.assignee_id, c.address,
       c.district_id, c.reported_at, c.due_at, cat.id, cat.name, a.id, a.username, a.first_name,
       a.last_name, a.display_name, d.id, d.name
FROM intake_concern c
LEFT JOIN intake_category cat ON cat.id = c.category_id
LEFT JOIN accounts_user a ON a.id = c.assignee_id
LEFT JOIN geo_area d ON d.id = c.district_id
WHERE c.responsible_unit_id = %(unit)s {extra}
ORDER BY c.reported_at DESC, c.id DESC
LIMIT 51
"""
_RAW_FILTER = """
  AND c.status IN ({statuses}) AND c.category_id = %(category)s AND c.district_id = %(district)s
  AND c.reported_at >= %(start)s AND c.reported_at < %(end)s"""


def _fragment(client: Any, url: str) -> Callable[[], object]:
    """An htmx request (the fragment only) as the page's own script would make it."""
    return lambda: client.get(url, HTTP_HX_REQUEST="true")


def _page_plan(client: Any, url: str) -> str:
    """EXPLAIN ANALYZE of the page query a request to `url` makes, in a few words."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = next(
        q["sql"] for q in captured if 'FROM "intake_concern"' in q["sql"] and "LIMIT 51" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    found: list[str] = []

    def visit(node: dict[str, Any]) -> None:
        if node.get("Relation Name") == "intake_concern":
            cond = node.get("Index Cond", "").replace("intake_concern.", "")
            found.append(
                f"{node['Node Type']} using {node.get('Index Name', '-')}"
                f"{' on ' + cond if cond else ''}, {node['Actual Rows']} rows"
            )
        if node.get("Node Type") in {"Sort", "Incremental Sort"}:
            found.append(node["Node Type"])
        for child in node.get("Plans", []):
            visit(child)

    visit(plan["Plan"])
    return "; ".join(found) + f"; execution {plan['Execution Time']:.2f} ms"


def measure() -> list[dict[str, Any]]:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from kontaktpunkt.accounts.models import Unit, User
    from kontaktpunkt.cases.forms import QueueFilterForm
    from kontaktpunkt.cases.queries import queue_concerns, queue_page, queue_scope_resolve
    from kontaktpunkt.geo.models import Area
    from kontaktpunkt.intake.models import Category, Concern

    lead = User.objects.get(username=LEAD)
    kod = Unit.objects.get(slug="kod")
    client = Client()
    client.force_login(lead)
    url = reverse("cases:queue")

    # The combined filter: KOD's most frequent category in its busiest district, the done
    # statuses, the last three months (a lead reviewing what was dealt with).
    busiest = (
        Concern.objects.filter(
            responsible_unit=kod, category__default_unit=kod, district__isnull=False
        )
        .values_list("category", "district")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise RuntimeError("no KOD concerns in the bench database")
    cat_id, district_id, _n = busiest
    category = Category.objects.get(pk=cat_id)
    district = Area.objects.get(pk=district_id)
    today = timezone.localdate()
    start_day, end_day = today - timedelta(days=91), today
    statuses = ["resolved", "closed"]
    filtered_query = (
        f"unit=kod&district={district.slug}&category={category.code}"
        f"&status={statuses[0]}&status={statuses[1]}"
        f"&reported_from={start_day.isoformat()}&reported_to={end_day.isoformat()}"
    )

    def orm_qs(query: str) -> Any:
        params = QueryDict(query)
        scope = queue_scope_resolve(user=lead, scope=None, unit_slug=params.get("unit"))
        form = QueueFilterForm(params)
        if not form.is_valid():
            raise RuntimeError(f"{query}: {form.errors.as_text()}")
        flt = form.queue_filter()
        return queue_concerns(user=lead, scope=scope, flt=flt, now=timezone.now()), flt

    tz = ZoneInfo(settings.TIME_ZONE)
    raw_params = {
        "unit": kod.pk,
        "category": category.pk,
        "district": district.pk,
        "start": datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz),
        "end": datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz) + timedelta(days=1),
    }
    raw_conn = psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True)
    raw_unit_sql = _RAW_SELECT.format(extra="")
    raw_filtered_sql = _RAW_SELECT.format(
        extra=_RAW_FILTER.format(statuses=", ".join(f"'{s}'" for s in statuses))
    )

    def raw(sql: str) -> Callable[[], list[Any]]:
        return lambda: raw_conn.execute(sql, raw_params).fetchall()

    def get(query: str) -> Callable[[], object]:
        def request() -> object:
            response = client.get(f"{url}?{query}")
            if response.status_code != 200:
                raise RuntimeError(f"{query}: HTTP {response.status_code}")
            return response

        return request

    # The ORM page and the raw SQL must agree before their times mean anything.
    plans = {}
    for name, query, sql in (
        ("unit", "unit=kod", raw_unit_sql),
        ("filtered", filtered_query, raw_filtered_sql),
    ):
        qs, flt = orm_qs(query)
        page = queue_page(qs, sort=flt.sort)
        raw_ids = [row[0] for row in raw(sql)()][:50]
        if [c.pk for c in page.rows] != raw_ids:
            raise RuntimeError(f"{name}: the ORM page and the raw SQL disagree")
        log(f"{name}: {len(page.rows)} rows on page 1")

    # Walk the cursor to page DEEP_PAGE once.
    qs, flt = orm_qs("unit=kod")
    cursor = ""
    start = time.perf_counter()
    for _ in range(DEEP_PAGE - 1):
        following = queue_page(qs, sort=flt.sort, after=cursor or None).next_cursor
        if following is None:
            raise RuntimeError("the KOD queue has fewer than DEEP_PAGE pages")
        cursor = following
    log(f"walked {DEEP_PAGE - 1} pages in {time.perf_counter() - start:.1f} s")
    deep_query = f"unit=kod&after={quote(cursor)}"

    for name, query in (("unit", "unit=kod"), ("filtered", filtered_query), ("deep", deep_query)):
        plans[name] = _page_plan(client, f"{url}?{query}")
        log(f"{name}: plan of the page query: {plans[name]}")

    unit_ms, unit_raw_ms = _alternate([get("unit=kod"), raw(raw_unit_sql)])
    filt_ms, filt_raw_ms = _alternate([get(filtered_query), raw(raw_filtered_sql)])
    first_ms, deep_ms = _alternate([get("unit=kod"), get(deep_query)])

    # Figures for the report only: counts fragment, "mine", other sort orders.
    officer = User.objects.filter(username__startswith="bench-kod-").order_by("username").first()
    info_client = Client()
    if officer is None:
        raise RuntimeError("no KOD officer in the bench database")
    info_client.force_login(officer)
    extra_urls = {
        "counts_unit": (client, reverse("cases:queue_counts") + "?unit=kod"),
        "counts_filtered": (client, reverse("cases:queue_counts") + "?" + filtered_query),
        "mine_officer": (info_client, f"{url}?scope=mine&status=open"),
        "open_due": (client, f"{url}?unit=kod&status=open&sort=due"),
        "open_priority": (client, f"{url}?unit=kod&status=open&sort=priority"),
        "oldest": (client, f"{url}?unit=kod&sort=oldest"),
        "overdue": (client, f"{url}?unit=kod&overdue=on"),
    }
    extra: dict[str, float] = {}
    for key, (who, where) in extra_urls.items():
        times = _alternate([_fragment(who, where)])[0]
        extra[key] = round(median(times), 2)
    log(f"other requests (median ms): {extra}")

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM intake_concern")
        rows = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM intake_concern WHERE responsible_unit_id = %s", [kod.pk])
        kod_rows = cur.fetchone()[0]
    raw_conn.close()

    data = (
        f"PostgreSQL {connection.pg_version // 10000}, {rows:,} concerns over {YEARS} years "
        f"(seed {SEED}, {kod_rows:,} for KOD)"
    )
    common = (
        f"Django test client, a KOD lead signed in with force_login, persistent connection; "
        f"median of {RUNS} alternating runs after {WARMUP} warm-ups; {data}."
    )
    results = [
        Result(
            name="cases.queue_first_page_ms",
            value=round(median(unit_ms), 2),
            unit="ms",
            target="<= 150",
            runs=RUNS,
            baseline=round(median(unit_raw_ms), 2),
            database="postgresql",
            how=(
                f"GET /vorgaenge/?unit=kod (first page, 50 rows, all statuses, newest first) — "
                f"the whole request: session, permissions, form, query, template. Baseline: the "
                f"same page query as raw SQL over psycopg (same columns, joins, order, LIMIT 51). "
                f"Plan: {plans['unit']}. {common}"
            ),
            spread=spread(unit_ms, "ms"),
        ),
        Result(
            name="cases.queue_filtered_first_page_ms",
            value=round(median(filt_ms), 2),
            unit="ms",
            target="<= 150",
            runs=RUNS,
            baseline=round(median(filt_raw_ms), 2),
            database="postgresql",
            how=(
                f"GET /vorgaenge/?{filtered_query} (first page: KOD's most frequent category in "
                f"the district where it is most frequent, district {district.name}, category "
                f"{category.name}, statuses resolved + closed, the last 91 days). Baseline: the "
                f"same query as raw SQL. Plan: {plans['filtered']}. {common}"
            ),
            spread=spread(filt_ms, "ms"),
        ),
        Result(
            name="cases.queue_deep_page_ratio",
            value=round(median(deep_ms) / median(first_ms), 3),
            unit="ratio",
            target="<= 1.5",
            runs=RUNS,
            baseline=None,
            database="postgresql",
            how=(
                f"Median time of page {DEEP_PAGE} of the KOD queue (its `after` cursor reached by "
                f"walking the keyset cursor {DEEP_PAGE - 1} times once) divided by the median of "
                f"page 1: {median(deep_ms):.2f} ms / {median(first_ms):.2f} ms, alternating. "
                f"Other requests, htmx fragments, median ms: {extra}. {common}"
            ),
            spread=f"page {DEEP_PAGE}: {spread(deep_ms, 'ms')}; page 1: {spread(first_ms, 'ms')}",
            extra=extra,
        ),
    ]
    return [r.as_dict() for r in results]


def main() -> int:
    import django

    reused = database_prepare()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontaktpunkt.config.settings")
    django.setup()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - start:.1f} s")
    if reused:
        log(f"kept {DB_NAME}: it holds the {ROWS:,} concerns of seed {SEED} already")
    else:
        database_fill()
    rows = measure()
    for row in rows:
        row["how"] += " Data " + (
            "kept from an earlier run of the same seed." if reused else "generated in this run."
        )
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--measure"]:
        sys.exit("usage: python -m bench.bench_queue --measure (run() starts it)")
    sys.exit(main())
