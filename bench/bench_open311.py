"""open311.*: POST /georeport/v2/requests.json under load, beside a floor and django-helpdesk.

Three Django projects are served the same way, each by its own gunicorn (2 workers of 4 threads,
the gthread worker as `kontaktpunkt serve` starts it, no access log) on a free port of 127.0.0.1,
each against its own database on one PostgreSQL server (KP_BENCH_PG_SERVER, default
postgres://postgres@127.0.0.1:5432; dropped and created every run), persistent connections
(KP_DB_CONN_MAX_AGE=600):

- ours: kontaktpunkt.config.wsgi, migrated, the Krefeld tenant loaded, one API key (KP_ENV
  development, KP_DEBUG off);
- the floor: bench/open311/floor, a bare Django project whose one view inserts one row (ORM);
- django-helpdesk from PyPI (pinned in bench/open311/helpdesk_project/requirements.txt, installed
  into var/bench/helpdesk-venv when missing): its own public ticket form (submit_iframe), which
  creates the ticket, its follow-up and the submitter's mail as helpdesk does.

The load comes from a second process, bench/open311/load.py (asyncio, standard library): a warm-up,
then a fixed count of POSTs over keep-alive connections for throughput, and a paced run with a new
connection per request for latency; the three sides alternate round by round and the figures are
medians over the rounds. Every POST to ours carries a unique marker in its description; afterwards
the concerns in the database are counted against the accepted requests.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from bench.common import PG_SERVER, Result, median

ROOT = Path(__file__).resolve().parent.parent
DB_OURS = "kontaktpunkt_bench_o311"
DB_FLOOR = "kontaktpunkt_bench_o311_floor"
DB_HELPDESK = "kontaktpunkt_bench_o311_helpdesk"
HELPDESK_VENV = ROOT / "var" / "bench" / "helpdesk-venv"
HELPDESK_REQUIREMENTS = ROOT / "bench" / "open311" / "helpdesk_project" / "requirements.txt"
LOAD = ROOT / "bench" / "open311" / "load.py"

WORKERS = 2
THREADS = 4
WARMUP = 200
COUNT = 2000
CONCURRENCY = 16
ROUNDS = 3
PACED_RATE = 50.0
PACED_COUNT = 500  # 10 s at 50 requests/s
TEXT = "Seit Tagen liegt hier Müll neben den Containern, bitte kümmern Sie sich darum."


def log(message: str) -> None:
    print(f"   [bench_open311] {message}", file=sys.stderr, flush=True)


@dataclass
class Side:
    name: str
    python: str
    app: str
    env: dict[str, str]
    path: str
    fields: dict[str, str]
    ok_status: str
    ok_body: str
    queries: int | None = None
    worker: bool = False  # also run `kontaktpunkt worker`, as `kontaktpunkt serve` does
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    worker_process: subprocess.Popen[bytes] | None = None
    throughput: list[dict[str, Any]] = field(default_factory=list)
    paced: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- set-up


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def _database_fresh(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _json_of(cmd: list[str], env: dict[str, str], what: str) -> dict[str, Any]:
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr[-2000:]}")
    payload: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return payload


def _helpdesk_python() -> tuple[str | None, str]:
    """The helpdesk venv's python (installed from the pinned requirements when missing)."""
    python = HELPDESK_VENV / "bin" / "python"
    probe = [str(python), "-c", "import helpdesk, gunicorn, psycopg"]
    if python.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return str(python), "kept"
    base = shutil.which("python3.11")
    if base is None:
        return None, "python3.11 not found"
    shutil.rmtree(HELPDESK_VENV, ignore_errors=True)
    start = time.perf_counter()
    steps = [
        [base, "-m", "venv", str(HELPDESK_VENV)],
        [str(python), "-m", "pip", "install", "-q", "-r", str(HELPDESK_REQUIREMENTS)],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=600)
        if done.returncode != 0:
            return None, f"install failed: {done.stderr.strip()[-500:]}"
    return str(python), f"installed in {time.perf_counter() - start:.0f} s"


def _start(side: Side) -> None:
    side.port = _free_port()
    cmd = [
        side.python, "-m", "gunicorn", side.app,
        "--bind", f"127.0.0.1:{side.port}",
        "--workers", str(WORKERS), "--threads", str(THREADS),
        "--graceful-timeout", "10", "--log-level", "warning",
    ]  # fmt: skip
    side.process = subprocess.Popen(cmd, env=side.env, cwd=ROOT)
    if side.worker:
        worker = [side.python, "-m", "kontaktpunkt", "worker"]
        side.worker_process = subprocess.Popen(worker, env=side.env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if side.process.poll() is not None:
            raise RuntimeError(f"{side.name}: gunicorn exited with {side.process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{side.port}/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer: the server is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{side.name}: gunicorn did not answer within 60 s")


def _stop(side: Side) -> None:
    for process in (side.process, side.worker_process):
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


DRAIN_LIMIT_S = 600


def _inbox_drain() -> dict[str, float]:
    """Wait until the worker has taken in every accepted POST; how long that took after the load."""
    started = time.perf_counter()
    with psycopg.connect(f"{PG_SERVER}/{DB_OURS}", autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE processed_at IS NULL), count(*), "
                "extract(epoch FROM max(processed_at) - min(processed_at)) "
                "FROM open311_submission"
            ).fetchone()
            waiting, total, span = (
                (int(row[0]), int(row[1]), float(row[2] or 0)) if row else (0, 0, 0)
            )
            if waiting == 0 or time.perf_counter() - started > DRAIN_LIMIT_S:
                break
            time.sleep(0.5)
    return {
        "waiting": waiting,
        "taken_in": total - waiting,
        "drain_s": round(time.perf_counter() - started, 1),
        "intake_span_s": round(span, 1),
    }


# ----------------------------------------------------------------------------- load


def _quiet() -> None:
    """Every side's round starts on an idle machine: our worker has taken in what the rounds before
    left in its inbox (else that intake would run during the next side's round, whichever it is)."""
    drain = _inbox_drain()
    if drain["drain_s"] >= 1:
        log(f"waited {drain['drain_s']} s for our worker's intake of {drain['taken_in']:,} POSTs")


def _load(side: Side, *, mode: str, count: int, prefix: str) -> dict[str, Any]:
    cmd = [
        sys.executable, str(LOAD),
        "--url", f"http://127.0.0.1:{side.port}{side.path}",
        "--mode", mode, "--count", str(count),
        "--concurrency", str(CONCURRENCY), "--rate", str(PACED_RATE),
        "--fields", json.dumps(side.fields), "--marker-prefix", prefix,
        "--ok-status", side.ok_status, "--ok-body", side.ok_body,
        "--geo-jitter", "--max-seconds", "120",
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=150)
    if done.returncode != 0:
        raise RuntimeError(f"load.py against {side.name} failed: {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    side.accepted += report.pop("accepted_markers")
    side.failed += report.pop("failed_markers")
    if report["failed"]:
        log(f"{side.name} {mode}: {report['failed']} failed, e.g. {report['first_errors']}")
    return report


def _round(side: Side, r: int, mode: str) -> None:
    if mode == "throughput":
        report = _load(side, mode="throughput", count=COUNT, prefix=f"o311-r{r}-t")
        side.throughput.append(report)
        log(
            f"round {r} {side.name}: {report['req_per_s']:.1f} req/s "
            f"(p50 {report['p50_ms']:.1f} ms, p99 {report['p99_ms']:.1f} ms under load)"
        )
    else:
        report = _load(side, mode="paced", count=PACED_COUNT, prefix=f"o311-r{r}-p")
        side.paced.append(report)
        log(
            f"round {r} {side.name} paced: p50 {report['p50_ms']:.1f} ms, "
            f"p99 {report['p99_ms']:.1f} ms"
        )


# ----------------------------------------------------------------------------- counting


def _lost_or_duplicated(side: Side) -> tuple[int, str]:
    """Accepted markers against concerns in the database: missing + extra rows."""
    with psycopg.connect(f"{PG_SERVER}/{DB_OURS}") as conn:
        rows = conn.execute(
            "SELECT substring(description from '\\[(o311-[^]]+)\\]') AS marker, count(*) "
            "FROM intake_concern WHERE description LIKE %s GROUP BY 1",
            [f"{TEXT} [o311-%"],
        ).fetchall()
    in_db: dict[str, int] = dict(rows)
    accepted = set(side.accepted)
    missing = sum(1 for m in accepted if m not in in_db)
    duplicated = sum(n - 1 for n in in_db.values() if n > 1)
    unaccepted = sum(n for m, n in in_db.items() if m not in accepted)
    total_sent = len(side.accepted) + len(side.failed)
    if len(accepted) != len(side.accepted):
        raise RuntimeError("a marker was sent twice; the count would mean nothing")
    detail = (
        f"{total_sent:,} POSTs sent to ours, {len(accepted):,} accepted (HTTP 200 with a "
        f"service_request_id), {len(side.failed):,} not accepted; in the database "
        f"{sum(in_db.values()):,} concerns carry a marker: {missing} accepted but missing, "
        f"{duplicated} extra copies, {unaccepted} rows of requests that were not accepted"
    )
    return missing + duplicated + unaccepted, detail


def _helpdesk_tickets() -> int | None:
    try:
        with psycopg.connect(f"{PG_SERVER}/{DB_HELPDESK}") as conn:
            row = conn.execute(
                "SELECT count(*) FROM helpdesk_ticket WHERE title LIKE 'o311-%%'"
            ).fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else None


# ----------------------------------------------------------------------------- run


def run() -> list[Result]:
    try:
        _admin().close()
    except psycopg.Error as exc:
        print(f"   bench_open311: PostgreSQL at {PG_SERVER} does not answer, skipped ({exc})")
        return []
    started = time.perf_counter()
    base_env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    common = {**base_env, "KP_DB_CONN_MAX_AGE": "600", "PYTHONPATH": str(ROOT)}
    ours = Side(
        name="ours",
        python=sys.executable,
        app="kontaktpunkt.config.wsgi:application",
        env={
            **common,
            "DATABASE_URL": f"{PG_SERVER}/{DB_OURS}",
            "DJANGO_SETTINGS_MODULE": "kontaktpunkt.config.settings",
            "KP_ENV": "development",
            "KP_DEBUG": "0",
        },
        path="/georeport/v2/requests.json",
        fields={"service_code": "kp-litter", "description": f"{TEXT} [{{marker}}]"},
        ok_status="200",
        ok_body='"service_request_id"',
        worker=True,
    )
    floor = Side(
        name="floor",
        python=sys.executable,
        app="bench.open311.floor.wsgi:application",
        env={
            **common,
            "DATABASE_URL": f"{PG_SERVER}/{DB_FLOOR}",
            "DJANGO_SETTINGS_MODULE": "bench.open311.floor.settings",
        },
        path="/requests.json",
        fields={"description": f"{TEXT} [{{marker}}]"},
        ok_status="200",
        ok_body='"service_request_id"',
    )
    helpdesk_python, helpdesk_note = _helpdesk_python()
    log(f"django-helpdesk venv: {helpdesk_note}")
    helpdesk: Side | None = None
    if helpdesk_python is not None:
        helpdesk = Side(
            name="helpdesk",
            python=helpdesk_python,
            app="bench.open311.helpdesk_project.wsgi:application",
            env={
                **common,
                "DATABASE_URL": f"{PG_SERVER}/{DB_HELPDESK}",
                "DJANGO_SETTINGS_MODULE": "bench.open311.helpdesk_project.settings",
            },
            path="/helpdesk/tickets/submit_iframe/",
            fields={
                "title": "{marker}",
                "body": TEXT,
                "submitter_email": "bench@example.org",
                "priority": "3",
            },
            ok_status="302",
            ok_body="",
        )

    for name in (DB_OURS, DB_FLOOR, DB_HELPDESK):
        _database_fresh(name)
    prep = _json_of(
        [sys.executable, "-m", "bench.open311.prepare", "ours"], ours.env, "prepare ours"
    )
    ours.fields["api_key"] = prep["api_key"]
    ours.queries = prep["queries"]
    ours_kinds = prep["kinds"]
    floor.queries = _json_of(
        [sys.executable, "-m", "bench.open311.prepare", "floor"], floor.env, "prepare floor"
    )["queries"]
    if helpdesk is not None:
        try:
            hd = _json_of(
                [helpdesk.python, "-m", "bench.open311.helpdesk_project.prepare"],
                helpdesk.env,
                "prepare helpdesk",
            )
            if hd["status"] != 302:
                raise RuntimeError(f"helpdesk's ticket form answered {hd['status']}")
            helpdesk.queries = hd["queries"]
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            helpdesk_note = f"set-up failed: {exc}"
            log(helpdesk_note)
            helpdesk = None
    log(f"prepared in {time.perf_counter() - started:.0f} s; SQL per POST: "
        f"ours {ours.queries} {ours_kinds}, floor {floor.queries}, "
        f"helpdesk {helpdesk.queries if helpdesk else '-'}")  # fmt: skip

    sides = [s for s in (ours, floor, helpdesk) if s is not None]
    try:
        for side in sides:
            _start(side)
        for side in sides:
            warm = _load(side, mode="throughput", count=WARMUP, prefix="o311-warm")
            log(f"warm-up {side.name}: {warm['req_per_s']:.1f} req/s")
        for r in range(1, ROUNDS + 1):
            order = sides[r - 1 :] + sides[: r - 1]  # a different side goes first each round
            for side in order:
                _quiet()
                _round(side, r, "throughput")
            for side in order:
                _quiet()
                _round(side, r, "paced")
        drain = _inbox_drain()
        log(f"inbox after the load: {drain}")
    finally:
        for side in sides:
            _stop(side)
    lost, lost_detail = _lost_or_duplicated(ours)
    lost_detail += (
        f"; the worker had taken in {drain['taken_in']:,} accepted POSTs "
        f"{drain['drain_s']} s after the last request ({drain['waiting']} still waiting)"
    )
    helpdesk_tickets = _helpdesk_tickets() if helpdesk else None
    elapsed = time.perf_counter() - started
    return _results(ours, floor, helpdesk, helpdesk_note, lost, lost_detail, helpdesk_tickets,
                    elapsed)  # fmt: skip


def _pins() -> str:
    wanted = ("django-helpdesk==", "django==")
    pins = [
        line.strip()
        for line in HELPDESK_REQUIREMENTS.read_text().splitlines()
        if line.lower().startswith(wanted)
    ]
    return " ".join(pins)


def _med(side: Side, mode: str, key: str) -> float:
    reports = side.throughput if mode == "throughput" else side.paced
    return median([float(r[key]) for r in reports])


def _results(
    ours: Side,
    floor: Side,
    helpdesk: Side | None,
    helpdesk_note: str,
    lost: int,
    lost_detail: str,
    helpdesk_tickets: int | None,
    elapsed: float,
) -> list[Result]:
    sides = [s for s in (ours, floor, helpdesk) if s is not None]
    rps = {s.name: _med(s, "throughput", "req_per_s") for s in sides}
    p99 = {s.name: _med(s, "paced", "p99_ms") for s in sides}
    p50 = {s.name: _med(s, "paced", "p50_ms") for s in sides}
    load_p99 = {s.name: _med(s, "throughput", "p99_ms") for s in sides}
    per_round = {s.name: ", ".join(f"{r['req_per_s']:.1f}" for r in s.throughput) for s in sides}
    p99_rounds = {s.name: ", ".join(f"{r['p99_ms']:.1f}" for r in s.paced) for s in sides}
    failed = {s.name: len(s.failed) for s in sides}
    sql = {s.name: s.queries for s in sides}
    setup = (
        f"gunicorn ({WORKERS} workers x {THREADS} threads, gthread, no access log) on 127.0.0.1 "
        f"for each side, each with its own PostgreSQL database on one server, "
        f"CONN_MAX_AGE=600, DEBUG off; load from a second process (bench/open311/load.py, "
        f"asyncio) on the same {os.cpu_count()} cores. Throughput: {WARMUP} warm-up POSTs, then "
        f"{ROUNDS} rounds of {COUNT:,} POSTs over {CONCURRENCY} keep-alive connections, the "
        f"sides alternating with a different one first each round, each round started once our "
        f"worker had taken in the POSTs of the rounds before (so no side's round carries that "
        f"work); medians over the rounds. "
        f"Median req/s: ours {rps['ours']:.1f}, floor {rps['floor']:.1f}"
        + (f", django-helpdesk {rps['helpdesk']:.1f}" if helpdesk else "")
        + f" (rounds: {per_round}); p99 under that load in ms: "
        + ", ".join(f"{k} {v:.1f}" for k, v in load_p99.items())
        + f". SQL statements per POST (CaptureQueriesContext, one in-process request after a "
        f"warm one, BEGIN/COMMIT/SAVEPOINT included): {sql}. Requests not accepted: {failed}. "
        f"Ours: service_code kp-litter, a point drawn in a box around the centre of Krefeld, "
        f"KP_ENV development; `kontaktpunkt worker` runs beside gunicorn as `kontaktpunkt serve` "
        f"starts it (nice 10): a POST is checked and stored in the Open311 inbox with its "
        f"reference reserved (the answer carries the service_request_id), and the worker turns "
        f"each into a concern (place, deadline, timeline) while and after the load runs. The "
        f"floor: one view, request.POST "
        f"read, one Row.objects.create, JSON answer, no middleware. django-helpdesk "
        f"{_pins() + ', venv ' + helpdesk_note if helpdesk else 'absent: ' + helpdesk_note}: its public "
        f"ticket form (tickets/submit_iframe/, a fixed public queue), mail to a dummy backend. "
        f"Whole benchmark {elapsed:.0f} s."
    )
    results = [
        Result(
            name="open311.post_per_s_vs_floor",
            value=round(rps["ours"] / rps["floor"], 3),
            unit="ratio",
            target=">= 0.7",
            runs=ROUNDS,
            baseline=round(rps["floor"], 1),
            database="postgresql",
            how=f"POST /georeport/v2/requests.json req/s of ours / the floor's. {setup}",
            spread=f"req/s per round: {per_round}",
        )
    ]
    if helpdesk is not None:
        tickets = f"{helpdesk_tickets:,}" if helpdesk_tickets is not None else "?"
        results.append(
            Result(
                name="open311.post_per_s_vs_helpdesk",
                value=round(rps["ours"] / rps["helpdesk"], 3),
                unit="ratio",
                target=">= 5",
                runs=ROUNDS,
                baseline=round(rps["helpdesk"], 1),
                database="postgresql",
                how=(
                    f"req/s of ours / django-helpdesk's ticket creation; {tickets} helpdesk "
                    f"tickets carry a marker. {setup}"
                ),
                spread=f"req/s per round: {per_round}",
            )
        )
    results += [
        Result(
            name="open311.post_p99_ms_at_50rps",
            value=round(p99["ours"], 2),
            unit="ms",
            target="<= 25",
            runs=ROUNDS,
            baseline=round(p99["floor"], 2),
            database="postgresql",
            how=(
                f"p99 (nearest rank) of {PACED_COUNT} POSTs paced at {PACED_RATE:.0f}/s, a new "
                f"connection each (connect to last byte), median over {ROUNDS} rounds; baseline "
                f"the floor's. Median p50/p99 in ms: "
                + ", ".join(f"{k} {p50[k]:.1f}/{p99[k]:.1f}" for k in p99)
                + f". {setup}"
            ),
            spread=f"p99 ms per round: {p99_rounds}",
        ),
        Result(
            name="open311.lost_or_duplicated",
            value=lost,
            unit="count",
            target="== 0",
            runs=1,
            database="postgresql",
            how=(
                f"Every POST to ours (warm-up, throughput and paced) carries a unique marker in "
                f"its description; afterwards: {lost_detail}. Value = missing + extra."
            ),
        ),
    ]
    return results
