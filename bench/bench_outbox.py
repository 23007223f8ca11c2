"""outbox.*: how fast the worker delivers through the durable outbox, beside a direct loop of the same sends.

Two real servers on 127.0.0.1: a second Kontaktpunkt process (gunicorn, 1 worker of 4 threads, its own
SQLite database) plays the city works' Open311 endpoint, and aiosmtpd receives the mail. Each round,
alternating: (1) FORWARDS concerns are recorded through `concerns_submit` and routed by a rule to the
city works, which writes a Forward and its `routing.forward` job in the same transaction; the worker
loop (`jobs_run_due`, batches of 50, in this process) then delivers them — Open311 POST with an
Idempotency-Key, the partner's id stored, a `forwarded` timeline event; (2) the same number of POSTs in a
plain loop of `routing.client.post_request` (the same HTTP call, no queue, nothing stored); (3) MAILS
`mail.send` jobs enqueued, delivered by the worker loop (one SMTP connection per mail, as the handler
does); (4) the same messages sent in a plain loop through the same backend. The rate of each is counted
from the first job claimed to the last job done; every forward must end `sent` and every mail must
have arrived, else the benchmark fails. The database is the one `make bench` uses (SQLite, WAL).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.test.utils import override_settings

from bench.common import Result, median

FORWARDS = 300
MAILS = 600
ROUNDS = 3
BATCH = 50


def log(message: str) -> None:
    print(f"   [bench_outbox] {message}", file=sys.stderr, flush=True)


def _drain() -> None:
    from kontaktpunkt.core.jobs import jobs_run_due

    while jobs_run_due(worker="bench-outbox", limit=BATCH):
        pass


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


def _outbox_forwards(category: Any, count: int, mark: str) -> float:
    from kontaktpunkt.intake.models import Channel
    from kontaktpunkt.intake.services import ConcernInput, concerns_submit
    from kontaktpunkt.routing.models import Forward, ForwardState

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
    concerns = concerns_submit(inputs=inputs, by=None)
    started = time.perf_counter()
    _drain()
    elapsed = time.perf_counter() - started
    sent = Forward.objects.filter(concern__in=concerns, state=ForwardState.SENT).count()
    if sent != count:
        raise RuntimeError(f"only {sent} of {count} forwards were sent")
    return count / elapsed


def _direct_forwards(peer: Any, category: Any, count: int, mark: str) -> float:
    from kontaktpunkt.routing import client

    started = time.perf_counter()
    for n in range(count):
        client.post_request(
            endpoint=peer.endpoint,
            fields={
                "api_key": peer.api_key,
                "service_code": category.open311_service_code,
                "lat": "51.332830",
                "long": "6.562620",
                "description": f"[KP-direct] Müll am Theaterplatz [{mark}-{n}]",
            },
            idempotency_key=f"bench-direct-{uuid.uuid4()}",
        )
    return count / (time.perf_counter() - started)


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


def _outbox_mails(smtp: Any, count: int, mark: str) -> float:
    from kontaktpunkt.core.mail import mail_enqueue

    before = len(smtp.inbox)
    with transaction.atomic():
        for message in _messages(count, mark):
            mail_enqueue(**message)
    started = time.perf_counter()
    _drain()
    elapsed = time.perf_counter() - started
    arrived = len(smtp.wait_for(before + count, timeout=30)) - before
    if arrived != count:
        raise RuntimeError(f"only {arrived} of {count} mails arrived")
    return count / elapsed


def _direct_mails(smtp: Any, count: int, mark: str) -> float:
    from django.conf import settings

    from kontaktpunkt.core.mail import mail_build

    before = len(smtp.inbox)
    built = [mail_build(message) for message in _messages(count, mark)]
    started = time.perf_counter()
    for message in built:
        get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT).send_messages([message])
    elapsed = time.perf_counter() - started
    arrived = len(smtp.wait_for(before + count, timeout=30)) - before
    if arrived != count:
        raise RuntimeError(f"only {arrived} of {count} direct mails arrived")
    return count / elapsed


def run() -> list[Result]:
    from kontaktpunkt.tenants.loader import tenant_load
    from kontaktpunkt.testing.peer import peer_start
    from kontaktpunkt.testing.smtp import SmtpServer, free_port

    directory = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    smtp = SmtpServer(port=free_port())
    smtp.start()
    peer = peer_start(directory)
    rates: dict[str, list[float]] = {"fw": [], "fw_direct": [], "mail": [], "mail_direct": []}
    mail_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp.host,
        "EMAIL_PORT": smtp.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 5,
    }
    try:
        with override_settings(**mail_settings):
            tenant_load(name="krefeld")
            category = _setup(peer)
            _outbox_forwards(category, 20, "warm")  # warm-up: caches, connections, the peer
            _direct_forwards(peer, category, 20, "warm")
            for r in range(1, ROUNDS + 1):
                mark = f"r{r}-{uuid.uuid4().hex[:6]}"
                rates["fw"].append(_outbox_forwards(category, FORWARDS, mark))
                rates["fw_direct"].append(_direct_forwards(peer, category, FORWARDS, mark))
                rates["mail_direct"].append(_direct_mails(smtp, MAILS, mark + "d"))
                rates["mail"].append(_outbox_mails(smtp, MAILS, mark))
                log(
                    f"round {r}: forwards {rates['fw'][-1]:.0f}/s (direct "
                    f"{rates['fw_direct'][-1]:.0f}/s), mails {rates['mail'][-1]:.0f}/s (direct "
                    f"{rates['mail_direct'][-1]:.0f}/s)"
                )
    finally:
        peer.stop()
        smtp.stop()
        shutil.rmtree(directory, ignore_errors=True)
    return _results(rates)


def _results(rates: dict[str, list[float]]) -> list[Result]:
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
        f"{ROUNDS} rounds after a warm-up, medians; {FORWARDS} forwards and {MAILS} mails per round. "
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
