"""The worker's loop: claim due jobs, run them, sleep when idle — in one thread or several.

`kontaktpunkt worker` runs `workers_run`. With `threads` > 1 each thread is a worker of its own (its
own name, database connection and SMTP connection) claiming its own jobs from the queue, so that one
job waiting on a partner or a mail server does not hold up the others. A database error (a restart, a
failover) does not end a loop: it closes the thread's connections, waits (0.5 s doubling up to 30 s)
and goes on; once the database answers, the jobs this loop held are put back at once (`jobs_release`)
instead of waiting for their lease to run out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

from django.db import Error, connections

from kontaktpunkt.core.jobs import PeriodicSchedule, jobs_release, jobs_run_due

Log = Callable[[str], None]


def worker_loop(
    *,
    name: str,
    batch: int,
    stop: threading.Event,
    idle_sleep: float = 1.0,
    once: bool = False,
    periodic: PeriodicSchedule | None = None,
    log: Log = print,
) -> int:
    """Run due jobs until `stop` is set (or, with `once`, until none is due); how many ran."""
    outage = 0
    ran_total = 0
    while not stop.is_set():
        try:
            if outage:
                jobs_release(worker=name)
            if periodic is not None:
                periodic.enqueue_due()
            ran = jobs_run_due(worker=name, limit=batch)
        except Error as exc:
            outage += 1
            log(f"Database unavailable ({exc.__class__.__name__}); retrying.")
            connections.close_all()
            stop.wait(min(0.5 * 2 ** min(outage - 1, 6), 30.0))
            continue
        outage = 0
        ran_total += ran
        if ran == 0:
            if once:
                break
            stop.wait(idle_sleep)
    return ran_total


def workers_run(
    *,
    name: str,
    threads: int,
    batch: int,
    stop: threading.Event,
    idle_sleep: float = 1.0,
    once: bool = False,
    periodic: PeriodicSchedule | None = None,
    log: Log = print,
) -> int:
    """`threads` loops side by side (the first also enqueues the periodic jobs); how many jobs ran."""
    loop = partial(worker_loop, batch=batch, stop=stop, idle_sleep=idle_sleep, once=once, log=log)
    if threads <= 1:
        return loop(name=name, periodic=periodic)
    counts = [0] * threads

    def run(index: int) -> None:
        try:
            counts[index] = loop(
                name=f"{name}/{index + 1}", periodic=periodic if index == 0 else None
            )
        finally:
            connections.close_all()  # this thread's connections

    pool = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    while any(thread.is_alive() for thread in pool):
        for thread in pool:
            thread.join(timeout=0.2)  # short waits: the main thread stays responsive to signals
    return sum(counts)
