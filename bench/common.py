"""Shared pieces of `make bench`: results in the format of shared/BENCHMARKS.md and timing helpers."""

from __future__ import annotations

import operator
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "<": operator.lt,
    ">": operator.gt,
}

# The PostgreSQL server the benchmarks that need one use (each in databases of its own).
PG_SERVER = os.environ.get("KP_BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Result:
    """One benchmark figure. `how` and `spread` go to the Markdown report only."""

    name: str
    value: float
    unit: str
    target: str
    runs: int
    baseline: float | None = None
    database: str | None = None
    how: str = ""
    spread: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline (baseline time / ours, or ours / baseline rate).

        A figure that is itself a ratio (unit "ratio") carries the baseline's absolute figure in
        `baseline` and has no further ratio.
        """
        if self.baseline is None or self.value == 0 or self.unit == "ratio":
            return None
        return (
            round(self.baseline / self.value, 3)
            if self.unit in {"s", "ms"}
            else round(self.value / self.baseline, 3)
        )

    @property
    def met(self) -> bool:
        op, num = self.target.split()
        return _OPS[op](float(self.value), float(num))

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "runs": self.runs,
            "measured_at": date.today().isoformat(),  # noqa: DTZ011
            "database": self.database,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def time_runs(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> list[float]:
    """Seconds of each of `runs` calls of `fn`, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def alternate_runs(
    ours: Callable[[], object], baseline: Callable[[], object], *, runs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Time `ours` and `baseline` alternately, so that a noisy machine shifts both alike."""
    for _ in range(warmup):
        ours()
        baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a += time_runs(ours, runs=1, warmup=0)
        b += time_runs(baseline, runs=1, warmup=0)
    return a, b


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], unit: str = "s") -> str:
    return f"min {min(values):.4g} {unit}, max {max(values):.4g} {unit}"


def measure_in_subprocess(module: str, database_url: str) -> list[Result]:
    """Run `python -m <module> --measure` against `database_url`; its last output line is a JSON list
    of Result fields. For benchmarks that need their own PostgreSQL database and settings."""
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KP_DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "kontaktpunkt.config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", module, "--measure"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} --measure failed with exit code {done.returncode}")
    payload = json.loads(done.stdout.strip().splitlines()[-1])
    return [Result(**row) for row in payload]
