"""`make bench`: run every benchmark module that exists and write docs/benchmarks.md and .json.

Each module `bench/bench_*.py` has `run() -> list[Result]`. A benchmark that cannot run yet is absent.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from bench.common import Result

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontaktpunkt.config.settings")
    django.setup()

    only = set(argv)
    results: list[Result] = []
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    for name in modules:
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        for result in module.run():
            print(
                f"   {result.name}: {result.value} {result.unit} (target {result.target}, met={result.met})",
                flush=True,
            )
            results.append(result)
    _write(results)
    return 0


def _write(results: list[Result]) -> None:
    docs = ROOT / "docs"
    json_path = docs / "benchmarks.json"
    existing = json.loads(json_path.read_text()) if json_path.exists() else []
    new_names = {r.name for r in results}
    rows = [r for r in existing if r["name"] not in new_names] + [r.as_json() for r in results]
    rows.sort(key=lambda r: r["name"])
    json_path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")

    md_path = docs / "benchmarks.md"
    how_path = docs / "benchmarks-how.json"
    how = json.loads(how_path.read_text()) if how_path.exists() else {}
    for r in results:
        how[r.name] = {"how": r.how, "spread": r.spread}
    how_path.write_text(json.dumps(how, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py). Figures are medians of several runs after a warm-up; the",
        "baseline is measured in the same run, alternating where it can. Absolute times are indicative only;",
        "ratios are the figures that count. Targets and names: shared/BENCHMARKS.md.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"last written {date.today().isoformat()}.",  # noqa: DTZ011
        "",
        "| name | value | unit | target | met | baseline | ratio | runs | database | measured |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['value']} | {row['unit']} | `{row['target']}` | {'yes' if row['met'] else '**no**'} "
            f"| {row['baseline'] if row['baseline'] is not None else '—'} | {row['ratio'] if row['ratio'] is not None else '—'} "
            f"| {row['runs']} | {row['database'] or '—'} | {row['measured_at']} |"
        )
    lines += ["", "## How each figure was measured", ""]
    for row in rows:
        entry = how.get(row["name"], {})
        lines.append(
            f"- **{row['name']}** — {entry.get('how', '')} Spread: {entry.get('spread', '—')}."
        )
    md_path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
