"""demo.build_sqlite_s: build the full demo world (20,000 concerns) on a fresh SQLite database.

Each run gets its own throwaway SQLite file in a temporary directory (whatever database `make bench`
configured is left alone): `kontaktpunkt migrate`, untimed, then `kontaktpunkt demo --concerns 20000`,
timed by the wall clock from process start to exit — what a person waits for after migrating: Django
start-up, loading the Krefeld tenant and its geography, the 25 demo people, planning, resolving the
places and writing the concerns with their timelines. Two runs (a build takes tens of seconds), no
warm-up: every run starts from an empty database anyway. No baseline.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, median, spread

CONCERNS = 20_000
RUNS = 2
ROOT = Path(__file__).resolve().parent.parent


def _kontaktpunkt(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kontaktpunkt", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kontaktpunkt {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _one_build() -> tuple[float, float]:
    """Wall-clock seconds of the command, and the seconds the command itself reports."""
    with tempfile.TemporaryDirectory(prefix="kp-bench-demo-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "KP_DATA_DIR": tmp,
        }
        _kontaktpunkt(["migrate", "--no-input", "-v", "0"], env)
        start = time.perf_counter()
        output = _kontaktpunkt(["demo", "--concerns", str(CONCERNS)], env)
        wall = time.perf_counter() - start
    match = re.search(r"Demo-Welt in ([\d.]+) s erstellt", output)
    return wall, float(match.group(1)) if match else wall


def run() -> list[Result]:
    walls, inner = [], []
    for _ in range(RUNS):
        wall, reported = _one_build()
        walls.append(wall)
        inner.append(reported)
    return [
        Result(
            name="demo.build_sqlite_s",
            value=round(median(walls), 2),
            unit="s",
            target="<= 120",
            runs=RUNS,
            baseline=None,
            database="sqlite",
            how=(
                f"`kontaktpunkt demo --concerns {CONCERNS}` on a fresh, migrated SQLite file per run "
                f"(migrate not timed), wall clock of the whole process; {RUNS} runs, no warm-up, "
                f"since each build takes tens of seconds and starts from an empty database. The "
                f"command's own figure (without process start): median {median(inner):.1f} s."
            ),
            spread=spread(walls),
            extra={"command_reported_s": inner},
        )
    ]
