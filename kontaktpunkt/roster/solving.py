"""Writes that run the solver: calculate a plan (queued for the worker, with progress) and re-plan
after a sick call. Like every roster write, each ends in one transaction with its audit row."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontaktpunkt.accounts.models import User
from kontaktpunkt.core.jobs import job_enqueue
from kontaktpunkt.roster import domain
from kontaktpunkt.roster.models import (
    Absence,
    AbsenceKind,
    Assignment,
    EventKind,
    RosterPlan,
    RosterVersion,
    RunState,
    SolveRun,
    StaffMember,
)
from kontaktpunkt.roster.posts import posts_allocate, posts_fill
from kontaktpunkt.roster.replan import Change, roster_replan_sick
from kontaktpunkt.roster.selectors import (
    PlanSnapshot,
    partners_of,
    plan_snapshot,
    version_draft,
    version_published,
)
from kontaktpunkt.roster.services import RosterRefused, draft_ensure, event_log, plan_locked
from kontaktpunkt.roster.solver import Progress, SolveResult, SolverOptions, roster_solve
from kontaktpunkt.roster.validator import roster_validate

SOLVE_JOB = "roster.solve"
ROLLING_FROM_DAYS = 56  # longer plans are solved as a rolling horizon
ROLLING_WINDOW_DAYS = 35
PROGRESS_EVERY_S = 0.5
REPLAN_SECONDS = 2.0
STALE_AFTER = timedelta(minutes=15)  # a run still unfinished by then was lost (a worker died)


# --- solving ------------------------------------------------------------------------------------


def solve_run_start(*, plan: RosterPlan, time_limit_s: int, by: User) -> SolveRun:
    """Queue a calculation of the plan; the worker runs it (`solve_run_execute`)."""
    with transaction.atomic():
        locked = plan_locked(plan)
        active = locked.solve_runs.filter(
            state__in=(RunState.QUEUED, RunState.RUNNING),
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        if active.exists():
            raise RosterRefused(_("A calculation of this roster is already under way."))
        run = SolveRun.objects.create(plan=locked, time_limit_s=time_limit_s, created_by=by)
        job_enqueue(
            kind=SOLVE_JOB,
            payload={"run": run.pk},
            idempotency_key=f"{SOLVE_JOB}:{run.pk}",
            max_attempts=2,
        )
    return run


def plan_solve_now(*, plan: RosterPlan, time_limit_s: float, by: User | None) -> SolveRun:
    """Calculate the plan in this process (the demo, commands); the same as the worker does."""
    run = SolveRun.objects.create(
        plan=plan, time_limit_s=max(1, round(time_limit_s)), created_by=by
    )
    return solve_run_execute(run=run, time_limit_s=time_limit_s)


def solve_run_execute(*, run: SolveRun, time_limit_s: float | None = None) -> SolveRun:
    """Solve the plan with the CP-SAT solver, reporting progress on the run, and write the roster
    with its posts into the draft. A shortfall still yields a roster (with named gaps)."""
    if run.finished:
        return run
    _run_update(run, state=RunState.RUNNING, started_at=timezone.now())
    snapshot = plan_snapshot(plan=run.plan, version=None)
    limit = float(time_limit_s if time_limit_s is not None else run.time_limit_s)
    window = ROLLING_WINDOW_DAYS if run.plan.n_days > ROLLING_FROM_DAYS else None
    options = SolverOptions(time_limit_s=limit, window_days=window)
    try:
        result = solve_with_progress(snapshot.instance, options, lambda p: _run_progress(run, p))
    except Exception as exc:
        _run_update(run, state=RunState.FAILED, explanation=str(exc), finished_at=timezone.now())
        raise
    if result.roster is None:
        _run_finish(run, result, violations=None, state=RunState.FAILED)
        return run
    with transaction.atomic():
        locked = plan_locked(run.plan)
        draft = draft_ensure(plan=locked, by=run.created_by)
        _roster_write(draft, snapshot, result.roster)
        violations = roster_validate(snapshot.instance, result.roster)
        event_log(
            locked, draft, EventKind.SOLVED, run.created_by, text="\n".join(result.explanation)
        )
        _run_finish(run, result, violations=len(violations), state=RunState.DONE)
    return run


def solve_with_progress(
    instance: domain.Instance,
    options: SolverOptions,
    report: Callable[[Progress], None],
    *,
    every_s: float = PROGRESS_EVERY_S,
) -> SolveResult:
    """`roster_solve` in a thread of its own, while this thread (which owns the database
    connection) reports the newest progress every `every_s` seconds."""
    seen: list[Progress] = []
    outcome: list[SolveResult | BaseException] = []

    def work() -> None:
        try:
            outcome.append(roster_solve(instance, options=options, progress=seen.append))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name="roster-solve", daemon=True)
    worker.start()
    reported = 0
    while worker.is_alive():
        worker.join(every_s)
        if len(seen) > reported:
            reported = len(seen)
            report(seen[-1])
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _run_progress(run: SolveRun, progress: Progress) -> None:
    _run_update(
        run,
        progress=str(progress),
        solutions=progress.solutions,
        objective=progress.objective,
        bound=progress.bound,
    )


def _run_finish(
    run: SolveRun, result: SolveResult, *, violations: int | None, state: RunState
) -> None:
    _run_update(
        run,
        state=state,
        outcome=str(result.status),
        explanation="\n".join(result.explanation),
        violations=violations,
        seconds=round(result.seconds, 2),
        objective=result.objective,
        bound=result.bound,
        finished_at=timezone.now(),
    )


def _run_update(run: SolveRun, **fields: object) -> None:
    SolveRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def _roster_write(draft: RosterVersion, snapshot: PlanSnapshot, roster: domain.Roster) -> None:
    """Replace the draft's duties by the roster, with posts handed out afresh."""
    posts = posts_allocate(snapshot.instance, roster, partners=partners_of(snapshot))
    draft.assignments.all().delete()
    start = snapshot.plan.start
    Assignment.objects.bulk_create(
        Assignment(
            version=draft,
            staff=snapshot.staff[a.person],
            day=start + timedelta(days=a.day),
            shift_type=snapshot.shift_by_code[a.shift],
            post=str(posts.get((a.person, a.day), "")),
        )
        for a in roster.assignments
    )


# --- the sick call ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplanOutcome:
    version: RosterVersion
    changes: list[list[object]]  # [staff pk, ISO day, before, after]
    status: str
    explanation: tuple[str, ...]
    seconds: float


def sick_call_replan(
    *,
    plan: RosterPlan,
    staff: StaffMember,
    first_day: date,
    last_day: date,
    by: User,
    time_limit_s: float = REPLAN_SECONDS,
) -> ReplanOutcome:
    """Record the sick days and re-plan the fewest duties that restore every hard rule, into the
    draft (or a new draft copied from the published version); the planner then publishes it."""
    first, last = max(first_day, plan.start), min(last_day, plan.last_day)
    if first > last:
        raise RosterRefused(_("The sick days lie outside this roster."))
    base = version_draft(plan) or version_published(plan)
    if base is None:
        raise RosterRefused(_("There is no roster to re-plan yet."))
    snapshot = plan_snapshot(plan=plan, version=base)
    if staff.pk not in snapshot.person_of:
        raise RosterRefused(_("This person is not on this roster."))
    person = snapshot.person_of[staff.pk]
    days = [snapshot.day_of(first) + d for d in range((last - first).days + 1)]
    result = roster_replan_sick(
        snapshot.instance, snapshot.roster, person=person, days=days, time_limit_s=time_limit_s
    )
    if result.roster is None:
        raise RosterRefused(" ".join(result.explanation))
    changes = [
        [
            snapshot.staff[c.person].pk,
            (plan.start + timedelta(days=c.day)).isoformat(),
            c.before or "",
            c.after or "",
        ]
        for c in result.changes
    ]
    with transaction.atomic():
        locked = plan_locked(plan)
        draft = draft_ensure(plan=locked, by=by)
        _sick_days_record(staff, snapshot, result.instance, person, days, by)
        _changes_write(draft, snapshot, result.instance, result.roster, result.changes)
        event_log(
            locked,
            draft,
            EventKind.REPLANNED,
            by,
            text="\n".join(result.explanation),
            changes=changes,
        )
    return ReplanOutcome(draft, changes, str(result.status), result.explanation, result.seconds)


def _sick_days_record(
    staff: StaffMember,
    snapshot: PlanSnapshot,
    sick: domain.Instance,
    person: int,
    days: Sequence[int],
    by: User,
) -> None:
    Absence.objects.bulk_create(
        Absence(
            staff=staff,
            kind=AbsenceKind.SICKNESS,
            first_day=snapshot.plan.start + timedelta(days=d),
            last_day=snapshot.plan.start + timedelta(days=d),
            credit_minutes=sick.absent[(person, d)].credit_minutes,
            created_by=by,
        )
        for d in days
        if sick.absent[(person, d)].kind is domain.AbsenceKind.SICKNESS
    )


def _changes_write(
    draft: RosterVersion,
    snapshot: PlanSnapshot,
    instance: domain.Instance,
    roster: domain.Roster,
    changes: Sequence[Change],
) -> None:
    """Apply the re-plan's changed cells to the draft; new duties get the posts still open, and a
    special post left open goes to someone on the patrol of its shift (`posts_fill`)."""
    before = snapshot.roster
    known = {
        key: domain.Post(post)
        for key, post in snapshot.posts.items()
        if post and roster.grid.get(key) == before.grid.get(key)
    }
    posts = posts_fill(instance, roster, known)
    start = snapshot.plan.start
    for change in changes:
        person, day = change.person, change.day
        staff, when = snapshot.staff[person], start + timedelta(days=day)
        code = roster.shift_of(person, day)
        if code is None:
            Assignment.objects.filter(version=draft, staff=staff, day=when).delete()
            continue
        Assignment.objects.update_or_create(
            version=draft,
            staff=staff,
            day=when,
            defaults={
                "shift_type": snapshot.shift_by_code[code],
                "post": str(posts.get((person, day), "")),
            },
        )
    changed = {(c.person, c.day) for c in changes}
    for (person, day), post in posts.items():
        if (person, day) not in changed and snapshot.posts.get((person, day)) != post:
            Assignment.objects.filter(
                version=draft, staff=snapshot.staff[person], day=start + timedelta(days=day)
            ).update(post=str(post))
