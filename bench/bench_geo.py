"""geo.resolve_100k_s: district, quarter and zones of 100,000 random points in the city.

Runs against the configured database (`make bench`: a throwaway SQLite database in var/bench/) and
imports the tenant's geodata first when there is no city boundary yet. The index comes from
selectors.place_index(), as in the application; the measured call is resolve_many() plus the
per-point zone lists. The baseline is the naive way: for each point, a Python loop that tests the
point against the boundary and every district, quarter and zone polygon (unprepared, no index).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import shapely
from django.db import DatabaseError
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from bench.common import Result, alternate_runs, median, spread

if TYPE_CHECKING:
    from kontaktpunkt.geo.resolve import PlaceIndex

POINTS = 100_000
SAMPLE = 2_000  # the naive loop runs on this many points; its time is scaled to POINTS
RUNS = 5
SEED = 20_251_121

Floats = NDArray[np.float64]
Naive = list[tuple[int, int, tuple[int, ...]]]


def _geodata_ensure() -> bool:
    """Import the tenant's geodata if the database has none; True if it did."""
    from kontaktpunkt.geo.models import Area
    from kontaktpunkt.geo.services import geodata_import
    from kontaktpunkt.geo.sources import tenant_geodata_directory

    try:
        if Area.objects.filter(level=Area.Level.CITY).exists():
            return False
    except DatabaseError as exc:
        raise RuntimeError(
            "bench_geo needs a migrated database: run `make bench` (a throwaway SQLite database) "
            "or `kontaktpunkt migrate` first"
        ) from exc
    geodata_import(directory=tenant_geodata_directory())
    return True


def _random_points(boundary: BaseGeometry, count: int, seed: int) -> tuple[Floats, Floats]:
    """`count` points uniformly distributed over the city's area (boundary in metres)."""
    from kontaktpunkt.geo.geometry import metric_to_lonlat

    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = boundary.bounds
    xs: list[Floats] = []
    found = 0
    while found < count:
        x = rng.uniform(minx, maxx, count)
        y = rng.uniform(miny, maxy, count)
        inside = shapely.contains_xy(boundary, x, y)
        xs.append(np.column_stack((x[inside], y[inside])))
        found += int(inside.sum())
    points = np.concatenate(xs)[:count]
    lons, lats = metric_to_lonlat(points[:, 0], points[:, 1])
    return lats, lons


def _unprepared(geometries: NDArray[np.object_]) -> list[BaseGeometry]:
    return list(shapely.from_wkb(shapely.to_wkb(geometries)))


def _naive_resolver(index: PlaceIndex) -> Callable[[Floats, Floats], Naive]:
    """A resolver without index or prepared geometry: a loop over every polygon for each point."""
    from kontaktpunkt.geo.geometry import lonlat_to_metric

    boundary = _unprepared(np.asarray([index.boundary]))[0]
    districts = list(
        zip(index.districts.ids.tolist(), _unprepared(index.districts.geometries), strict=True)
    )
    quarters = list(
        zip(index.quarters.ids.tolist(), _unprepared(index.quarters.geometries), strict=True)
    )
    zones = list(zip(index.zones.ids.tolist(), _unprepared(index.zones.geometries), strict=True))

    def resolve(lats: Floats, lons: Floats) -> Naive:
        x, y = lonlat_to_metric(lons, lats)
        result: Naive = []
        for px, py in zip(x.tolist(), y.tolist(), strict=True):
            point = shapely.Point(px, py)
            if not boundary.intersects(point):
                result.append((-1, -1, ()))
                continue
            district = next((i for i, g in districts if g.intersects(point)), -1)
            quarter = next((i for i, g in quarters if g.intersects(point)), -1)
            result.append((district, quarter, tuple(i for i, g in zones if g.intersects(point))))
        return result

    return resolve


def run() -> list[Result]:
    from kontaktpunkt.geo.resolve import resolve_many
    from kontaktpunkt.geo.selectors import place_index, place_index_invalidate

    imported = _geodata_ensure()
    place_index_invalidate()
    start = time.perf_counter()
    index = place_index()
    build_s = time.perf_counter() - start
    if index.boundary is None:
        raise RuntimeError("no city boundary after the import")
    lats, lons = _random_points(index.boundary, POINTS, SEED)
    naive = _naive_resolver(index)

    # Both must agree on the sample before their times mean anything.
    bulk = resolve_many(index, lats[:SAMPLE], lons[:SAMPLE])
    ours_sample = list(
        zip(
            bulk.district_ids.tolist(),
            bulk.quarter_ids.tolist(),
            bulk.zone_ids_per_point(),
            strict=True,
        )
    )
    if ours_sample != naive(lats[:SAMPLE], lons[:SAMPLE]):
        raise RuntimeError("resolve_many and the naive loop disagree on the sample")

    ours, baseline = alternate_runs(
        lambda: resolve_many(index, lats, lons).zone_ids_per_point(),
        lambda: naive(lats[:SAMPLE], lons[:SAMPLE]),
        runs=RUNS,
        warmup=1,
    )
    scale = POINTS / SAMPLE
    naive_s = median(baseline) * scale
    polygons = len(index.districts) + len(index.quarters) + len(index.zones) + 1
    return [
        Result(
            name="geo.resolve_100k_s",
            value=round(median(ours), 4),
            unit="s",
            target="<= 2",
            runs=RUNS,
            baseline=round(naive_s, 3),
            database=None,
            how=(
                f"resolve_many() on {POINTS:,} points uniformly random over the city's area "
                f"(seed {SEED}) against the index of selectors.place_index() ({polygons} polygons: "
                f"boundary, {len(index.districts)} districts, {len(index.quarters)} quarters, "
                f"{len(index.zones)} zones), including the per-point zone lists. Baseline: a Python "
                f"loop testing each point against every polygon (shapely, unprepared, no index), "
                f"timed on the first {SAMPLE:,} points and scaled linearly by {scale:.0f}; both give "
                f"identical answers on that sample. Median of {RUNS} alternating runs after a "
                f"warm-up; index build {build_s:.3f} s not included"
                f"{' (geodata imported first)' if imported else ''}."
            ),
            spread=spread(ours),
            extra={
                "index_build_s": round(build_s, 4),
                "naive_sample_s": round(median(baseline), 4),
                "naive_sample_points": SAMPLE,
            },
        )
    ]
