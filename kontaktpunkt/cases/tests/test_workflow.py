from __future__ import annotations

import pytest

from kontaktpunkt.cases import workflow
from kontaktpunkt.cases.workflow import TRANSITIONS, Gate, steps_from, transition_allowed
from kontaktpunkt.intake.models import OPEN_STATUSES, Status

S = Status

# (from, to, who may take the step): "work" = whoever works the case, "dispatch" = leads and desk.
TABLE = [
    (S.NEW, S.TRIAGED, "dispatch"),
    (S.NEW, S.IN_PROGRESS, "work"),
    (S.NEW, S.RESOLVED, "work"),
    (S.NEW, S.REJECTED, "dispatch"),
    (S.TRIAGED, S.IN_PROGRESS, "work"),
    (S.TRIAGED, S.RESOLVED, "work"),
    (S.TRIAGED, S.REJECTED, "dispatch"),
    (S.ASSIGNED, S.IN_PROGRESS, "work"),
    (S.ASSIGNED, S.WAITING_PARTNER, "work"),
    (S.ASSIGNED, S.RESOLVED, "work"),
    (S.ASSIGNED, S.REJECTED, "dispatch"),
    (S.IN_PROGRESS, S.WAITING_PARTNER, "work"),
    (S.IN_PROGRESS, S.RESOLVED, "work"),
    (S.IN_PROGRESS, S.REJECTED, "dispatch"),
    (S.WAITING_PARTNER, S.IN_PROGRESS, "work"),
    (S.WAITING_PARTNER, S.RESOLVED, "work"),
    (S.RESOLVED, S.CLOSED, "work"),
    (S.RESOLVED, S.IN_PROGRESS, "work"),
    (S.CLOSED, S.IN_PROGRESS, "dispatch"),
    (S.REJECTED, S.TRIAGED, "dispatch"),
]


def test_the_transition_table_is_exactly_the_documented_one():
    actual = sorted(
        (current.value, step.target.value, step.gate.value)
        for current, steps in TRANSITIONS.items()
        for step in steps
    )

    assert actual == sorted((a.value, b.value, gate) for a, b, gate in TABLE)


@pytest.mark.parametrize(("current", "target", "gate"), TABLE)
def test_a_dispatcher_may_take_every_step_of_the_table(current, target, gate):
    assert transition_allowed(current, target, may_dispatch=True)


@pytest.mark.parametrize(("current", "target", "gate"), TABLE)
def test_who_only_works_the_case_may_take_only_the_work_steps(current, target, gate):
    assert transition_allowed(current, target, may_dispatch=False) is (gate == "work")


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_no_step_outside_the_table_is_allowed(current, target):
    if (current, target) in {(a, b) for a, b, _ in TABLE}:
        return
    assert not transition_allowed(current, target, may_dispatch=True)


def test_assigned_and_duplicate_are_never_offered_by_the_status_form():
    targets = {step.target for steps in TRANSITIONS.values() for step in steps}

    assert S.ASSIGNED not in targets
    assert S.DUPLICATE not in targets


def test_a_duplicate_is_final():
    assert steps_from(S.DUPLICATE, may_dispatch=True) == []


def test_closed_and_rejected_concerns_are_reopened_only_by_dispatchers():
    assert steps_from(S.CLOSED, may_dispatch=False) == []
    assert steps_from(S.REJECTED, may_dispatch=False) == []
    assert [s.target for s in steps_from(S.CLOSED, may_dispatch=True)] == [S.IN_PROGRESS]
    assert [s.target for s in steps_from(S.REJECTED, may_dispatch=True)] == [S.TRIAGED]


def test_every_step_has_a_gate_and_a_button_text():
    for steps in TRANSITIONS.values():
        for step in steps:
            assert isinstance(step.gate, Gate) and str(step.label)


@pytest.mark.parametrize("status", list(Status))
def test_only_open_concerns_can_be_assigned_or_merged(status):
    assert workflow.can_be_assigned(status) is (status in OPEN_STATUSES)
    assert workflow.can_be_merged(status) is (status in OPEN_STATUSES)


def test_assigning_moves_new_and_triaged_concerns_to_assigned_and_keeps_work_under_way():
    assert workflow.status_after_assign(S.NEW) == S.ASSIGNED
    assert workflow.status_after_assign(S.TRIAGED) == S.ASSIGNED
    assert workflow.status_after_assign(S.IN_PROGRESS) == S.IN_PROGRESS
    assert workflow.status_after_assign(S.WAITING_PARTNER) == S.WAITING_PARTNER
