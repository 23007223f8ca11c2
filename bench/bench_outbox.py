"""outbox.*: how fast the worker delivers through the durable outbox, beside a direct loop of the same sends.

Two real servers on 127.0.0.1, each in a process of its own: a second Kontaktpunkt (gunicorn, 2 workers
of 4 threads, its own PostgreSQL database on KP_BENCH_PG_SERVER — an SQLite file when there is no
server) plays the city works' Open311 endpoint, and aiosmtpd receives the
mail. Each round: (1) FORWARDS concerns are recorded through `concerns_submit` and routed by a rule to
the city works, which writes a Forward and its `routing.forward` job in the same transaction; the worker
(`core.worker.workers_run` in this process, as `kontaktpunkt worker` runs it: KP_WORKER_THREADS loops
side by side, batches of 50) delivers them — Open311 POST with an
Idempotency-Key, the partner's id stored, a `forwarded` timeline event; (2) as many concerns recorded
the same way, their jobs deleted, and the same deliveries done in a plain loop that calls the job's own
function (`forward_deliver`) — the same sends and writes without the queue; (3) MAILS `mail.send` jobs
enqueued and delivered by the worker loop; (4) as many mails enqueued, their jobs deleted, and their
payloads sent in a plain loop of the job's function (`mail_send`). Both mail loops keep the worker's SMTP
connection open from one mail to the next. Each side is timed from the first send to the last; the
order of the sides alternates per round. Every forward must end `sent`, the peer must hold exactly one
request per forward, and every mail must arrive exactly once (by Message-ID), else the benchmark fails.
The database is the one `make bench` uses (SQLite, WAL).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from django.db import transaction
from django.test.utils import override_settings

from bench.common import PG_SERVER, Result, median

FORWARDS = 300
MAILS = 600
ROUNDS = 3
BATCH = 50
WARM = 20
PEER_DB = "kontaktpunkt_bench_outbox_peer"


def log(message: str) -> None:
    print(f"   [bench_outbox] {message}", file=sys.stderr, flush=True)


def _peer_database() -> tuple[str, str]:
    """A fresh PostgreSQL database for the peer, as a partner's production server has one; without
    a PostgreSQL server the peer keeps an SQLite file (and the figures say so)."""
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{PEER_DB}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{PEER_DB}"')
    except psycopg.Error:
        return "", "SQLite"
    return f"{PG_SERVER}/{PEER_DB}", "PostgreSQL"


def _drain() -> None:
    """The worker's loops (settings.KP_WORKER_THREADS, as `kontaktpunkt worker` runs them) until
    nothing is due."""
    from django.conf import settings

    from kontaktpunkt.core.worker import workers_run

    workers_run(
        name="bench-outbox",
        threads=settings.KP_WORKER_THREADS,
        batch=BATCH,
        stop=threading.Event(),
        idle_sleep=0,
        once=True,
    )


def _setup(peer: Any) -> Any:
    from kontaktpunkt.accounts.models import Unit
    from kontaktpunkt.intake.models import Category
    from kontaktpunkt.routing.models import ForwardTarget, RoutingRule

    category = Category.objects.get(code="cleanliness-litter")
    unit = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.update_or_create(
        unit=unit,
        defaults={
            "kind": "open311",
            "endpoint": peer.endpoint,
            "api_key": peer.api_key,
            "service_codes": {category.code: category.open311_service_code},
            "active": True,
        },
    )
    RoutingRule.objects.get_or_create(
        name="bench: Müll an den Stadtbetrieb", defaults={"category": category, "unit": unit}
    )
    return category


def _recorded(category: Any, count: int, mark: str) -> list[Any]:
    """`count` concerns routed to the city works: each with a Forward and its job."""
    from kontaktpunkt.intake.models import Channel
    from kontaktpunkt.intake.services import ConcernInput, concerns_submit

    inputs = [
        ConcernInput(
            channel=Channel.PHONE,
            description=f"Müll am Theaterplatz [{mark}-{n}]",
            category=category,
            lat=51.33283,
            lon=6.56262,
        )
        for n in range(count)
    ]
    return concerns_submit(inputs=inputs, by=None)


def _all_sent(concerns: list[Any]) -> None:
    from kontaktpunkt.routing.models import Forward, ForwardState

    sent = Forward.objects.filter(concern__in=concerns, state=ForwardState.SENT).count()
    if sent != len(concerns):
        raise RuntimeError(f"only {sent} of {len(concerns)} forwards were sent")


def _outbox_forwards(category: Any, count: int, mark: str) -> float:
    concerns = _recorded(category, count, mark)
    started = time.perf_counter()
    _drain()
    elapsed = time.perf_counter() - started
    _all_sent(concerns)
    return count / elapsed


def _direct_forwards(category: Any, count: int, mark: str) -> float:
    from kontaktpunkt.core.models import Job
    from kontaktpunkt.routing.models import Forward
    from kontaktpunkt.routing.services import FORWARD_KIND, forward_deliver

    concerns = _recorded(category, count, mark)
    forwards = list(Forward.objects.filter(concern__in=concerns).values_list("pk", flat=True))
    Job.objects.filter(kind=FORWARD_KIND, payload__forward__in=forwards).delete()
    started = time.perf_counter()
    for pk in forwards:
        forward_deliver(forward_id=pk)
    elapsed = time.perf_counter() - started
    _all_sent(concerns)
    return count / elapsed


def _at_peer(peer: Any) -> int:
    return int(
        peer.run(
            "from kontaktpunkt.open311.models import Submission\nprint(Submission.objects.count())"
        )
    )


def _messages(count: int, mark: str) -> list[dict[str, Any]]:
    return [
        {
            "key": f"bench-{mark}-{n}",
            "to": [f"buerger{n}@example.org"],
            "subject": f"Ihre Meldung KP-2026-{n:06d} ist eingegangen",
            "text": "Vielen Dank für Ihre Meldung.\n" * 8,
            "html": "<p>Vielen Dank für Ihre Meldung.</p>" * 8,
        }
        for n in range(count)
    ]


def _enqueued(count: int, mark: str) -> list[Any]:
    from kontaktpunkt.core.mail import mail_enqueue

    with transaction.atomic():
        return [mail_enqueue(**message) for message in _messages(count, mark)]


def _outbox_mails(smtp: Any, count: int, mark: str) -> float:
    before = len(smtp.message_ids())
    _enqueued(count, mark)
    started = time.perf_counter()
    _drain()
    elapsed = time.perf_counter() - started
    _arrived_once(smtp, before, count)
    return count / elapsed


def _direct_mails(smtp: Any, count: int, mark: str) -> float:
    from kontaktpunkt.core.mail import mail_send
    from kontaktpunkt.core.models import Job

    before = len(smtp.message_ids())
    jobs = _enqueued(count, mark)
    Job.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    started = time.perf_counter()
    for job in jobs:
        mail_send(job.payload)
    elapsed = time.perf_counter() - started
    _arrived_once(smtp, before, count)
    return count / elapsed


def _arrived_once(smtp: Any, before: int, count: int) -> None:
    """Every mail of the round arrived, and none twice."""
    received = smtp.wait_for(before + count, timeout=30)[before:]
    if len(received) != count or len(set(received)) != count:
        raise RuntimeError(
            f"{len(set(received))} of {count} mails arrived ({len(received)} in all)"
        )


def run() -> list[Result]:
    from kontaktpunkt.tenants.loader import tenant_load
    from kontaktpunkt.testing.peer import peer_start
    from kontaktpunkt.testing.smtp import SmtpProcess, free_port

    directory = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    smtp = SmtpProcess(port=free_port(), received_path=directory / "received.txt")
    smtp.start()
    peer_url, peer_database = _peer_database()
    log(f"the peer's database: {peer_database}")
    peer = peer_start(directory, workers=2, database_url=peer_url)
    rates: dict[str, list[float]] = {"fw": [], "fw_direct": [], "mail": [], "mail_direct": []}
    try:
        with override_settings(**smtp.settings()):
            tenant_load(name="krefeld")
            category = _setup(peer)
            _outbox_forwards(category, WARM, "warm-o")  # warm-up: caches, connections, the peer
            _direct_forwards(category, WARM, "warm-d")
            _outbox_mails(smtp, WARM, "warm-o")
            _direct_mails(smtp, WARM, "warm-d")
            for r in range(1, ROUNDS + 1):
                mark = f"r{r}-{uuid.uuid4().hex[:6]}"
                sides = [
                    ("fw", lambda m: _outbox_forwards(category, FORWARDS, m)),
                    ("fw_direct", lambda m: _direct_forwards(category, FORWARDS, m)),
                    ("mail", lambda m: _outbox_mails(smtp, MAILS, m)),
                    ("mail_direct", lambda m: _direct_mails(smtp, MAILS, m)),
                ]
                if r % 2 == 0:  # the other side first every other round
                    sides = [sides[1], sides[0], sides[3], sides[2]]
                for name, measure in sides:
                    rates[name].append(measure(f"{mark}-{name}"))
                log(
                    f"round {r}: forwards {rates['fw'][-1]:.0f}/s (direct "
                    f"{rates['fw_direct'][-1]:.0f}/s), mails {rates['mail'][-1]:.0f}/s (direct "
                    f"{rates['mail_direct'][-1]:.0f}/s)"
                )
            held = _at_peer(peer)
            expected = 2 * WARM + 2 * ROUNDS * FORWARDS
            if held != expected:
                raise RuntimeError(f"the peer holds {held} requests for {expected} forwards")
    finally:
        peer.stop()
        smtp.stop()
        shutil.rmtree(directory, ignore_errors=True)
    return _results(rates, peer_database)


def _results(rates: dict[str, list[float]], peer_database: str) -> list[Result]:
    fw, fw_direct = median(rates["fw"]), median(rates["fw_direct"])
    mail, mail_direct = median(rates["mail"]), median(rates["mail_direct"])
    # The same sends as one workload: time per send through the outbox against the direct loop.
    outbox_s = FORWARDS / fw + MAILS / mail
    direct_s = FORWARDS / fw_direct + MAILS / mail_direct
    ratio = round(direct_s / outbox_s, 3)
    spread = (
        f"forwards per round {', '.join(f'{v:.0f}' for v in rates['fw'])} (direct "
        f"{', '.join(f'{v:.0f}' for v in rates['fw_direct'])}); mails "
        f"{', '.join(f'{v:.0f}' for v in rates['mail'])} (direct "
        f"{', '.join(f'{v:.0f}' for v in rates['mail_direct'])})"
    )
    how = (
        f"{ROUNDS} rounds after a warm-up, medians; {FORWARDS} forwards and {MAILS} mails per round; "
        f"the peer's database: {peer_database}. "
        + (__doc__ or "").split("\n\n", 1)[1].replace("\n", " ").strip()
    )
    return [
        Result(
            name="outbox.rate_vs_direct",
            value=ratio,
            unit="ratio",
            target=">= 0.8",
            runs=ROUNDS,
            baseline=round(direct_s, 3),
            database="sqlite",
            how=how + f" Ratio: the direct loop's time for the round's sends over the outbox's "
            f"(forwards alone {fw / fw_direct:.2f}, mails alone {mail / mail_direct:.2f}).",
            spread=spread,
        ),
        Result(
            name="outbox.forwards_per_s",
            value=round(fw, 1),
            unit="1/s",
            target=">= 100",
            runs=ROUNDS,
            baseline=round(fw_direct, 1),
            database="sqlite",
            how=how,
            spread=spread,
        ),
        Result(
            name="outbox.mails_per_s",
            value=round(mail, 1),
            unit="1/s",
            target=">= 300",
            runs=ROUNDS,
            baseline=round(mail_direct, 1),
            database="sqlite",
            how=how,
            spread=spread,
        ),
    ]
