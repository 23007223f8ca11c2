"""Delivery through the outbox survives the faults of real life, against real servers on 127.0.0.1.

The partner is a second Kontaktpunkt process (`open311_peer`), reached through `FaultProxy`, which can
answer 500, never answer, or keep the partner's answer back. Mail goes to aiosmtpd. Where a worker is
killed or the database restarted, our side is a Kontaktpunkt of its own too (`instance_create`), so that
its worker is a real process: `kill -9` hits it in the middle of a job, and a PostgreSQL server of the
test's own (`PostgresCluster`) is restarted under it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.core.jobs import jobs_run_due
from kontaktpunkt.core.models import Job, JobState
from kontaktpunkt.intake.models import Category, Channel
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_submit
from kontaktpunkt.routing.models import Forward, ForwardState, ForwardTarget, RoutingRule
from kontaktpunkt.routing.services import FORWARD_KIND
from kontaktpunkt.testing.peer import Open311Peer, instance_create
from kontaktpunkt.testing.postgres import PostgresCluster, postgres_bin
from kontaktpunkt.testing.proxy import FaultProxy
from kontaktpunkt.testing.smtp import SmtpProcess

THEATERPLATZ = (51.33283, 6.56262)
ROUTE = """
from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.intake.models import Category
from kontaktpunkt.routing.models import ForwardTarget, RoutingRule
category = Category.objects.get(code="cleanliness-litter")
unit = Unit.objects.get(slug="city-works")
ForwardTarget.objects.update_or_create(unit=unit, defaults=dict(
    kind="open311", endpoint={endpoint!r}, api_key={api_key!r},
    service_codes={{category.code: category.open311_service_code}}, active=True))
RoutingRule.objects.get_or_create(
    name="Müll an den Stadtbetrieb", defaults=dict(category=category, unit=unit, order=10))
"""
RECORD = """
from kontaktpunkt.intake.models import Category, Channel
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concerns_submit
category = Category.objects.get(code="cleanliness-litter")
inputs = [
    ConcernInput(
        channel=Channel.PHONE, description=f"Müll am Theaterplatz [{marker}-{{n}}]",
        category=category, lat=51.33283, lon=6.56262,
        reporter=ReporterInput(name="Erika Mustermann", email=f"erika{{n}}@example.org",
                               consent=True, wants_updates=True),
    )
    for n in range({count})
]
concerns_submit(inputs=inputs, by=None)
"""
STATE = """
import json
from kontaktpunkt.core.models import Job
from kontaktpunkt.routing.models import Forward
print(json.dumps({
    "forwards": [[f.state, f.partner_request_id] for f in Forward.objects.order_by("pk")],
    "jobs": [[j.kind, j.state, j.attempts] for j in Job.objects.order_by("pk")],
}))
"""


# --- in this process: the peer fails, the mail server is down -------------------------------------


@pytest.fixture
def proxy(open311_peer: Open311Peer) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream_port=open311_peer.port).start()
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def city_works_behind(proxy: FaultProxy, open311_peer: Open311Peer) -> Unit:
    category = Category.objects.get(code="cleanliness-litter")
    unit = Unit.objects.get(slug="city-works")
    ForwardTarget.objects.create(
        unit=unit,
        kind="open311",
        endpoint=proxy.endpoint(),
        api_key=open311_peer.api_key,
        service_codes={category.code: category.open311_service_code},
    )
    RoutingRule.objects.create(
        name="Müll an den Stadtbetrieb", order=10, category=category, unit=unit
    )
    return unit


def _concern(marker: str, email: str = "erika@example.org") -> Any:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.PHONE,
            description=f"Müll am Theaterplatz [{marker}]",
            category=Category.objects.get(code="cleanliness-litter"),
            lat=THEATERPLATZ[0],
            lon=THEATERPLATZ[1],
            reporter=ReporterInput(
                name="Erika Mustermann", email=email, consent=True, wants_updates=True
            ),
        ),
        by=None,
    )


def _run_worker() -> None:
    while jobs_run_due(worker="test-worker", limit=50):
        pass


def _due_now() -> None:
    """Time passes: every job waiting for its retry is due."""
    Job.objects.filter(state=JobState.QUEUED).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["error", "hang"])
def test_a_forward_the_peer_answers_with_500_or_not_at_all_is_retried_and_arrives_once(
    fault, proxy, city_works_behind, open311_peer, settings, smtp_mail
):
    settings.KP_FORWARD_TIMEOUT_S = 1
    marker = uuid.uuid4().hex
    concern = _concern(marker)
    proxy.mode = fault

    _run_worker()

    job = Job.objects.get(kind=FORWARD_KIND)
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert ("HTTP 500" if fault == "error" else "timed out") in job.last_error
    assert Forward.objects.get(concern=concern).state == ForwardState.PENDING

    proxy.mode = "pass"
    _due_now()
    _run_worker()
    _due_now()
    _run_worker()  # nothing left to do: a sent forward is not sent again

    forward = Forward.objects.get(concern=concern)
    assert forward.state == ForwardState.SENT
    assert open311_peer.holds(marker) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)


@pytest.mark.django_db
def test_with_smtp_down_intake_succeeds_and_the_acknowledgement_arrives_once_when_it_is_back(
    smtp_mail,
):
    smtp_mail.stop()
    marker = uuid.uuid4().hex

    concern = _concern(marker, email="smtp-down@example.org")  # intake does not wait for mail

    assert concern.reference
    _run_worker()
    mail_job = Job.objects.get(kind="mail.send")
    assert (mail_job.state, mail_job.attempts) == (JobState.QUEUED, 1)

    smtp_mail.start()
    for _ in range(3):  # later retries find nothing left to send
        _due_now()
        _run_worker()

    received = [m for m in smtp_mail.wait_for(1) if "smtp-down@example.org" in m.rcpt_tos]
    assert len(received) == 1
    assert concern.reference in received[0].subject
    mail_job.refresh_from_db()
    assert mail_job.state == JobState.DONE


# --- our side as processes of its own: a killed worker, a restarted database ----------------------


def _our_side(
    directory: Path, smtp: SmtpProcess, proxy: FaultProxy, peer: Open311Peer, database_url: str
) -> Open311Peer:
    ours = instance_create(
        directory,
        database_url=database_url,
        env={
            "KP_JOB_LEASE_S": "2",
            "KP_WORKER_NICE": "0",
            "KP_EMAIL_BACKEND": "smtp",
            "KP_EMAIL_HOST": smtp.host,
            "KP_EMAIL_PORT": str(smtp.port),
            "KP_FORWARD_TIMEOUT_S": "5",
        },
    )
    ours.run(ROUTE.format(endpoint=proxy.endpoint(), api_key=peer.api_key))
    return ours


def _worker(ours: Open311Peer, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "kontaktpunkt", "worker",
        "--no-periodic", "--idle-sleep", "0.1", "--nice", "0",
    ]  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(command, env=ours.env, stdout=out, stderr=out)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _state(ours: Open311Peer) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(ours.run(STATE).strip().splitlines()[-1])
    return state


def _until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.5)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database for our side, of the kind the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield ""  # instance_create puts an SQLite file in its directory
        return
    cluster = PostgresCluster(bin_dir=_postgres_bin()).init()
    cluster.start()
    try:
        yield cluster.create_database("ours")
    finally:
        cluster.remove()


def _postgres_bin() -> Path:
    found = postgres_bin()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    return found


def test_a_worker_killed_in_the_middle_of_a_forward_is_taken_over_and_the_peer_holds_one_request(
    tmp_path, smtp_process, proxy, open311_peer, database_url
):
    ours = _our_side(tmp_path / "ours", smtp_process, proxy, open311_peer, database_url)
    marker = uuid.uuid4().hex
    ours.run(RECORD.format(marker=marker, count=1))
    proxy.mode = "hold"  # the peer takes the request in; its answer never reaches the worker

    first = _worker(ours, tmp_path / "worker.log")
    try:
        assert proxy.answered.wait(60), "the first worker never reached the peer"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert open311_peer.holds(marker) == 1
    (forward_state, _partner_id), *_ = _state(ours)["forwards"]
    assert forward_state == ForwardState.PENDING  # the killed worker never noted the answer
    found = re.search(rb'"service_request_id": "([^"]+)"', proxy.held[0])
    assert found is not None
    given = found.group(1).decode()

    proxy.mode = "pass"
    second = _worker(ours, tmp_path / "worker.log")
    try:
        _until(
            lambda: _state(ours)["forwards"][0][0] == ForwardState.SENT,
            60,
            "the second worker sends the forward after the first one's lease ran out",
        )
    finally:
        _stop(second)

    state = _state(ours)
    assert state["forwards"] == [[ForwardState.SENT, given]]
    assert open311_peer.holds(marker) == 1
    assert [kind for kind, job_state, _ in state["jobs"] if job_state != JobState.DONE] == []
    assert smtp_process.message_ids()  # the acknowledgement went out as well


def test_a_database_restart_during_delivery_loses_no_forward_and_no_mail(
    tmp_path, smtp_process, proxy, open311_peer
):
    cluster = PostgresCluster(bin_dir=_postgres_bin()).init()
    cluster.start()
    try:
        url = cluster.create_database("ours")
        ours = _our_side(tmp_path / "ours", smtp_process, proxy, open311_peer, url)
        count = 24
        marker = uuid.uuid4().hex
        ours.run(RECORD.format(marker=marker, count=count))
        proxy.delay_s = 0.1  # delivery takes a few seconds: the restart falls in the middle

        worker = _worker(ours, tmp_path / "worker.log")
        try:
            _until(lambda: proxy.requests >= 4, 60, "the worker delivers the first forwards")
            cluster.restart(down_s=2)
            _until(
                lambda: all(s == ForwardState.SENT for s, _ in _state(ours)["forwards"]),
                90,
                "every forward is sent after the restart",
            )
            _until(
                lambda: len(set(smtp_process.message_ids())) >= count,
                60,
                "every acknowledgement arrives after the restart",
            )
            assert worker.poll() is None, "the worker survived the restart"
        finally:
            _stop(worker)
        log = (tmp_path / "worker.log").read_text()
        state = _state(ours)
    finally:
        cluster.remove()

    assert "Database unavailable" in log  # the restart did hit the worker
    assert len(state["forwards"]) == count
    assert len({partner_id for _, partner_id in state["forwards"]}) == count
    assert open311_peer.holds(marker) == count  # each once: repeats carry the same Idempotency-Key
    assert len(set(smtp_process.message_ids())) == count
    assert all(job_state == JobState.DONE for _, job_state, _ in state["jobs"])
