"""dedup.*: duplicate detection — quality on the labelled pairs, lookup time with 1,000,000 concerns.

Quality (no database): kontaktpunkt/intake/data/duplicates_eval.jsonl, pairs of a stored concern and
a new one labelled as true duplicates or near misses (provenance in duplicates_eval.md). A pair is
judged a duplicate when the lookup's rules (related category, the category's radius and window)
admit it and its score reaches intake.duplicates.LIKELY. Baseline in the same run: the rules alone
(every pair they admit counts as a duplicate).

Lookup time (PostgreSQL): the data of bench_queue (the same generator and seed: 1,000,000 concerns
over three years, statuses by age, places in the tenant's quarters) in a database of its own,
`kontaktpunkt_bench_dedup` on KP_BENCH_PG_SERVER, kept between runs while the generator's marker is
unchanged; like bench_queue, run() starts `python -m bench.bench_dedup --measure` with
DATABASE_URL pointing there and reads the JSON it prints; without a server the figure is absent.
New concerns are the places and categories of LOOKUPS open concerns drawn with a seed, each with a
corpus text of its category; each is looked up with `duplicate_candidates` (one query with the
category, window and bounding-box prefilter, distances and text similarity in Python) beside a
brute-force scan of the same data: every concern read in a sequential scan (index scans off), the
distance computed in SQL, then the same ranking; 10 lookups of each, alternating. The same lookups
are measured again with the partial index on (category, lat, lon) of the open concerns that the
lookup would like (created for the measurement and dropped after it, while no migration has it).
Medians after a warm-up.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import psycopg

from bench.common import PG_SERVER, Result, measure_in_subprocess, median, spread

DB_NAME = "kontaktpunkt_bench_dedup"
LOOKUPS = 200
RUNS = 3  # passes over the lookups
WARMUP = 1
SEED = 20_261_121


def log(message: str) -> None:
    print(f"   [bench_dedup] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- parent process


def run() -> list[Result]:
    results = quality()
    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=5).close()
    except psycopg.Error as exc:
        print(f"   bench_dedup: PostgreSQL at {PG_SERVER} does not answer, lookup skipped ({exc})")
        return results
    return results + measure_in_subprocess("bench.bench_dedup", f"{PG_SERVER}/{DB_NAME}")


def quality() -> list[Result]:
    from kontaktpunkt.intake.duplicates import (
        LIKELY,
        duplicates_evaluate,
        eval_pairs_load,
    )

    pairs = eval_pairs_load()
    ours = duplicates_evaluate(pairs)
    rules = duplicates_evaluate(pairs, threshold=0.0)
    kinds = ", ".join(f"{k}: {n} of {total}" for k, (n, total) in ours.predicted_by_kind.items())
    how = (
        f"{ours.pairs} labelled pairs (intake/data/duplicates_eval.jsonl): "
        f"{ours.true_positives + ours.false_negatives} true duplicates and "
        f"{ours.pairs - ours.true_positives - ours.false_negatives} near misses. A pair is judged "
        f"a duplicate when the rules admit it (related category, the new concern's radius and "
        f"window) and its score is at least {LIKELY}. Judged duplicates per kind: {kinds}. "
        f"Judged wrongly: {', '.join(ours.wrong) or 'none'}."
    )
    return [
        Result(
            name="dedup.precision",
            value=round(ours.precision, 3),
            unit="ratio",
            target=">= 0.9",
            runs=1,
            baseline=round(rules.precision, 3),
            how=f"{how} Baseline: the rules alone (recall {rules.recall:.3f}).",
            spread=f"{ours.true_positives} true, {ours.false_positives} false positives",
        ),
        Result(
            name="dedup.recall",
            value=round(ours.recall, 3),
            unit="ratio",
            target=">= 0.8",
            runs=1,
            baseline=round(rules.recall, 3),
            how=f"{how} Baseline: the rules alone (precision {rules.precision:.3f}).",
            spread=f"{ours.false_negatives} missed",
        ),
    ]


# ----------------------------------------------------------------------------- the database


def _marker() -> str:
    from bench import bench_queue as q

    return f"bench_queue generator seed={q.SEED} rows={q.ROWS} version={q.GENERATOR_VERSION}"


def database_prepare() -> bool:
    """Keep the database if it holds the generator's concerns (True), else drop and create it."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
    if exists:
        try:
            with psycopg.connect(f"{PG_SERVER}/{DB_NAME}") as conn:
                row = conn.execute("SELECT value FROM kp_bench_meta WHERE key = 'data'").fetchone()
            if row and row[0] == _marker():
                return True
        except psycopg.Error:
            pass
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    return False


def database_fill() -> None:
    from django.db import connection
    from django.utils import timezone

    from bench import bench_queue as q
    from kontaktpunkt.tenants.loader import tenant_load

    start = time.perf_counter()
    tenant_load(name="krefeld")
    q.staff_create()
    with connection.cursor() as cursor:  # the generator predates Concern.extra (no DB default)
        cursor.execute("ALTER TABLE intake_concern ALTER COLUMN extra SET DEFAULT '{}'::jsonb")
    q.concerns_load(timezone.now())
    connection.close()
    with psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) intake_concern")
        conn.execute("CREATE TABLE kp_bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute("INSERT INTO kp_bench_meta VALUES ('data', %s)", [_marker()])
    log(f"database filled in {time.perf_counter() - start:.1f} s")


# ----------------------------------------------------------------------------- measuring


def lookups_draw(now: datetime) -> list[dict[str, Any]]:
    """LOOKUPS new concerns: place and category of open concerns, a corpus text of the category."""
    from kontaktpunkt.classify.corpus import corpus_load
    from kontaktpunkt.intake.models import OPEN_STATUSES, Category, Concern

    rng = random.Random(SEED)
    texts: dict[str, list[str]] = {}
    for example in corpus_load():
        texts.setdefault(example.category, []).append(example.text)
    open_ids = list(
        Concern.objects.filter(
            status__in=OPEN_STATUSES,
            lat__isnull=False,
            category__isnull=False,
            reported_at__gte=now - timedelta(days=30),
        ).values_list("pk", flat=True)
    )
    chosen = Concern.objects.filter(pk__in=rng.sample(open_ids, min(LOOKUPS, len(open_ids))))
    categories = {c.pk: c for c in Category.objects.all()}
    return [
        {
            "category": categories[c.category_id],
            "lat": c.lat,
            "lon": c.lon,
            "text": rng.choice(texts.get(categories[c.category_id].code, ["Bitte prüfen."])),
        }
        for c in chosen.order_by("pk")
        if c.category_id is not None
    ]


_BRUTE_SQL = """
SELECT c.id, c.lat, c.lon, c.reported_at, cat.code, c.description
FROM intake_concern c JOIN intake_category cat ON cat.id = c.category_id
WHERE 2 * 6371008.8 * asin(least(1.0, sqrt(
        power(sin(radians(c.lat - %(lat)s) / 2), 2)
        + cos(radians(%(lat)s)) * cos(radians(c.lat)) * power(sin(radians(c.lon - %(lon)s) / 2), 2)
      ))) <= %(radius)s
  AND c.status = ANY(%(statuses)s) AND cat.code = ANY(%(codes)s)
  AND c.reported_at >= %(start)s AND c.reported_at <= %(end)s
ORDER BY c.reported_at DESC, c.id DESC
"""


def brute_force(lookup: dict[str, Any], now: datetime, conn: psycopg.Connection[Any]) -> list[int]:
    """Every concern scanned, the distance in SQL; then the same ranking as the lookup."""
    from kontaktpunkt.classify.similarity import similarity_model
    from kontaktpunkt.intake.duplicates import (
        OPEN_STATUSES,
        Match,
        _similarity,
        distance_m,
        duplicate_rule,
        related_codes,
    )

    category = lookup["category"]
    rule = duplicate_rule(category)
    rows = conn.execute(
        _BRUTE_SQL,
        {
            "lat": lookup["lat"],
            "lon": lookup["lon"],
            "radius": rule.radius_m,
            "statuses": sorted(OPEN_STATUSES),
            "codes": sorted(related_codes(category.code)),
            "start": now - rule.window,
            "end": now,
        },
    ).fetchall()
    model = similarity_model()
    vector = model.vector(lookup["text"])
    matches = sorted(
        (
            Match(
                distance_m=distance_m(lookup["lat"], lookup["lon"], lat, lon),
                gap=now - at,
                similarity=_similarity(vector, model.vector(text)),
                same_category=code == category.code,
                rule=rule,
            ).score,
            pk,
        )
        for pk, lat, lon, at, code, text in rows
    )
    return [pk for _, pk in matches[-5:]]


def _plan(lookup: dict[str, Any], now: datetime) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kontaktpunkt.intake.duplicates import duplicate_candidates

    with CaptureQueriesContext(connection) as captured:
        duplicate_candidates(
            category=lookup["category"],
            lat=lookup["lat"],
            lon=lookup["lon"],
            text=lookup["text"],
            now=now,
        )
    sql = captured[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0][0]
    found: list[str] = []

    def visit(node: dict[str, Any]) -> None:
        if node.get("Relation Name") == "intake_concern":
            found.append(
                f"{node['Node Type']} using {node.get('Index Name', '-')}, "
                f"{node['Actual Rows']} rows, {node.get('Rows Removed by Filter', 0)} filtered"
            )
        for child in node.get("Plans", []):
            visit(child)

    visit(plan["Plan"])
    return "; ".join(found) + f"; execution {plan['Execution Time']:.2f} ms"


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _lookup(lookup: dict[str, Any], now: datetime) -> list[int]:
    from kontaktpunkt.intake.duplicates import duplicate_candidates

    candidates = duplicate_candidates(
        category=lookup["category"],
        lat=lookup["lat"],
        lon=lookup["lon"],
        text=lookup["text"],
        now=now,
    )
    return [c.concern.pk for c in candidates]


def _lookups_ms(lookups: list[dict[str, Any]], now: datetime) -> list[float]:
    """Milliseconds per lookup over RUNS passes, after a warm-up pass over a few."""
    for lookup in lookups[: WARMUP * 10]:
        _lookup(lookup, now)
    return [_ms(partial(_lookup, lookup, now)) for _ in range(RUNS) for lookup in lookups]


# The index the lookup would like (intake/models.py, not migrated yet): the open concerns of a
# category by latitude and longitude, so that the bounding box is read from the index alone.
PROPOSED_INDEX = "kp_bench_proposed_open_place_idx"
_PROPOSED_SQL = (
    f"CREATE INDEX {PROPOSED_INDEX} ON intake_concern (category_id, lat, lon) "
    "WHERE status IN ('assigned', 'in_progress', 'new', 'triaged', 'waiting_partner')"
)


def _with_proposed_index(fn: Callable[[], list[float]]) -> list[float] | None:
    """`fn` measured with the proposed index in place, or None when an equal index exists."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'intake_concern' "
            "AND indexdef LIKE %s",
            ["%(category_id, lat, lon)%"],
        )
        if cursor.fetchone()[0]:
            return None
        cursor.execute(_PROPOSED_SQL)
        cursor.execute("ANALYZE intake_concern")
    try:
        return fn()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {PROPOSED_INDEX}")
            cursor.execute("ANALYZE intake_concern")


def measure() -> list[dict[str, Any]]:
    from django.db import connection
    from django.db.models import Max

    from kontaktpunkt.classify.similarity import similarity_model
    from kontaktpunkt.intake.models import Concern

    last = Concern.objects.aggregate(last=Max("reported_at"))["last"]
    if last is None:
        raise RuntimeError("no concerns in the bench database")
    now = last + timedelta(minutes=1)
    lookups = lookups_draw(now)
    similarity_model()  # fitted once per process, as in a web worker
    brute = psycopg.connect(f"{PG_SERVER}/{DB_NAME}", autocommit=True)
    for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
        brute.execute(f"SET {setting} = off")

    agree = sum(
        set(_lookup(lookup, now)) == set(brute_force(lookup, now, brute)) for lookup in lookups[:20]
    )
    log(f"the lookup and the brute-force scan agree on {agree} of 20 lookups")
    ours_ms = _lookups_ms(lookups, now)
    few = lookups[:10]  # the scan takes a few hundred milliseconds each
    brute_ms: list[float] = []
    ours_few_ms: list[float] = []
    for lookup in few:
        brute_ms.append(_ms(partial(brute_force, lookup, now, brute)))
        ours_few_ms.append(_ms(partial(_lookup, lookup, now)))
    brute.close()
    found = [len(_lookup(lookup, now)) for lookup in lookups]
    plan = _plan(lookups[0], now)
    log(f"plan of the first lookup's query: {plan}")
    proposed_ms = _with_proposed_index(lambda: _lookups_ms(lookups, now))
    proposed = (
        f"With the proposed partial index on (category, lat, lon) of the open concerns (not "
        f"migrated yet), measured in the same run: median {median(proposed_ms):.2f} ms "
        f"({spread(proposed_ms, 'ms')})."
        if proposed_ms
        else "The index on (category, lat, lon) exists."
    )
    log(proposed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_concern")
        rows = cursor.fetchone()[0]
    how = (
        f"intake.duplicates.duplicate_candidates for {len(lookups)} new concerns (places and "
        f"categories of open concerns of the last 30 days, a corpus text of the category each), "
        f"{RUNS} passes after a warm-up, median per lookup; {sum(1 for n in found if n)} of them "
        f"found candidates ({sum(found)} in all). Baseline: brute-force scan of the same data "
        f"(sequential scan of all {rows:,} concerns with the distance in SQL, then the same "
        f"ranking), on {len(few)} lookups alternating with ours (ours on those: "
        f"{median(ours_few_ms):.2f} ms); both agree on {agree} of 20 lookups. Plan: {plan}. "
        f"{proposed} PostgreSQL {connection.pg_version // 10000}, {rows:,} concerns "
        f"(bench_queue's generator)."
    )
    return [
        Result(
            name="dedup.lookup_ms",
            value=round(median(ours_ms), 2),
            unit="ms",
            target="<= 20",
            runs=len(ours_ms),
            baseline=round(median(brute_ms), 2),
            database="postgresql",
            how=how,
            spread=f"{spread(ours_ms, 'ms')}; brute force {spread(brute_ms, 'ms')}",
            extra={"proposed_index_ms": round(median(proposed_ms), 2) if proposed_ms else None},
        ).as_dict()
    ]


def main() -> int:
    import django

    reused = database_prepare()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontaktpunkt.config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if reused:
        log(f"kept {DB_NAME}: it holds the generator's concerns already")
    else:
        database_fill()
    rows = measure()
    for row in rows:
        row["how"] += " Data " + (
            "kept from an earlier run." if reused else "generated in this run."
        )
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--measure"]:
        sys.exit("usage: python -m bench.bench_dedup --measure (run() starts it)")
    sys.exit(main())
