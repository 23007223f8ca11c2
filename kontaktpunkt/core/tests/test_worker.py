"""The worker's loops: several side by side share the queue without running a job twice.

The loops run in a real `kontaktpunkt worker --threads 2` process on a Kontaktpunkt of its own (an SQLite
file in WAL mode, as installed; the suite's in-memory test database cannot be shared between threads),
delivering mail to aiosmtpd in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from kontaktpunkt.core.worker import workers_run
from kontaktpunkt.testing.peer import instance_create

ENQUEUE = """
from django.db import transaction
from kontaktpunkt.core.mail import mail_enqueue
with transaction.atomic():
    for n in range(40):
        mail_enqueue(key=f"threads-{n}", to=[f"buerger{n}@example.org"], subject=f"Nr. {n}",
                     text="Vielen Dank für Ihre Meldung.")
"""
JOBS = """
import json
from kontaktpunkt.core.models import Job
print(json.dumps(list(Job.objects.values_list("state", "leased_by", "attempts"))))
"""


def test_two_loops_side_by_side_deliver_every_mail_exactly_once(tmp_path, smtp_process):
    ours = instance_create(
        tmp_path / "ours",
        env={
            "KP_EMAIL_BACKEND": "smtp",
            "KP_EMAIL_HOST": smtp_process.host,
            "KP_EMAIL_PORT": str(smtp_process.port),
        },
    )
    ours.run(ENQUEUE)

    command = [
        sys.executable, "-m", "kontaktpunkt", "worker", "--once", "--threads", "2",
        "--batch", "3", "--no-periodic", "--nice", "0",
    ]  # fmt: skip
    done = subprocess.run(
        command,
        env=ours.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    received = smtp_process.wait_for(40)
    assert len(received) == 40 and len(set(received)) == 40
    jobs = json.loads(ours.run(JOBS).strip().splitlines()[-1])
    assert {state for state, _, _ in jobs} == {"done"}
    assert {attempts for _, _, attempts in jobs} == {1}
    assert {leased_by.rsplit("/", 1)[1] for _, leased_by, _ in jobs} == {"1", "2"}


def test_a_stop_ends_every_loop():
    stop = threading.Event()
    stop.set()

    assert workers_run(name="w", threads=2, batch=2, stop=stop, idle_sleep=0.1, log=print) == 0
