"""The status workflow of a case: which status may follow which, and who may take each step.

Pure: statuses in, answers out; the services enforce it, the detail page offers only what it allows.

```
 new ──► triaged ──► assigned ──► in_progress ◄──► waiting_partner
  │         │           │             │                  │
  └─────────┴───────────┴─────────────┴──────────────────┴──► resolved ──► closed
  rejected: from new, triaged, assigned, in_progress        ▲      │
  duplicate: from every open status, by merging only        └──────┘ reopen
```

Decisions:

- `assigned` is reached by assigning (cases:assign) from `new` or `triaged`, `duplicate` only by
  merging into an original (cases:merge, which also sets `duplicate_of`). The status form offers
  neither.
- Steps marked DISPATCH need the right to assign (`Perm.CONCERN_ASSIGN`: the KOD lead and the desk,
  who triage): triaging, rejecting, and reopening a closed or rejected concern. Steps marked WORK
  need only the right to work the concern (`concern_can_edit`), including reopening a resolved one.
- `duplicate` is final: a merge is not undone (both timelines keep the merge; a wrong merge is
  corrected by recording the matter again).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontaktpunkt.intake.models import OPEN_STATUSES, Status


class Gate(StrEnum):
    WORK = "work"  # everyone who may work the concern (concern_can_edit)
    DISPATCH = "dispatch"  # only who may assign and triage (concern_can_assign)


@dataclass(frozen=True)
class Step:
    """One allowed change of status, with the words on its button."""

    target: Status
    gate: Gate
    label: str | Promise


_TRIAGE = Step(Status.TRIAGED, Gate.DISPATCH, _("Mark as triaged"))
_START = Step(Status.IN_PROGRESS, Gate.WORK, _("Start work"))
_WAIT = Step(Status.WAITING_PARTNER, Gate.WORK, _("Wait for partner"))
_RESUME = Step(Status.IN_PROGRESS, Gate.WORK, _("Resume work"))
_RESOLVE = Step(Status.RESOLVED, Gate.WORK, _("Mark as resolved"))
_CLOSE = Step(Status.CLOSED, Gate.WORK, _("Close"))
_REJECT = Step(Status.REJECTED, Gate.DISPATCH, _("Reject"))

TRANSITIONS: dict[Status, tuple[Step, ...]] = {
    Status.NEW: (_TRIAGE, _START, _RESOLVE, _REJECT),
    Status.TRIAGED: (_START, _RESOLVE, _REJECT),
    Status.ASSIGNED: (_START, _WAIT, _RESOLVE, _REJECT),
    Status.IN_PROGRESS: (_WAIT, _RESOLVE, _REJECT),
    Status.WAITING_PARTNER: (_RESUME, _RESOLVE),
    Status.RESOLVED: (_CLOSE, Step(Status.IN_PROGRESS, Gate.WORK, _("Reopen"))),
    Status.CLOSED: (Step(Status.IN_PROGRESS, Gate.DISPATCH, _("Reopen")),),
    Status.REJECTED: (Step(Status.TRIAGED, Gate.DISPATCH, _("Reopen")),),
    Status.DUPLICATE: (),
}

# Reached by their own action, never by the status form.
ASSIGNABLE_FROM = frozenset({Status.NEW, Status.TRIAGED})
MERGEABLE_FROM = OPEN_STATUSES


def steps_from(status: str, *, may_dispatch: bool) -> list[Step]:
    """The status changes offered to a person on a concern in `status`."""
    steps = TRANSITIONS.get(Status(status), ())
    return [step for step in steps if may_dispatch or step.gate is Gate.WORK]


def transition_allowed(current: str, target: str, *, may_dispatch: bool) -> bool:
    return any(step.target == target for step in steps_from(current, may_dispatch=may_dispatch))


def can_be_assigned(status: str) -> bool:
    """Only open concerns are handed to a unit or a person."""
    return status in OPEN_STATUSES


def status_after_assign(status: str) -> Status:
    """Assigning a new or triaged concern makes it `assigned`; work already under way keeps its status."""
    return Status.ASSIGNED if status in ASSIGNABLE_FROM else Status(status)


def can_be_categorised(status: str) -> bool:
    """Only an open concern is put under another category (and routed again)."""
    return status in OPEN_STATUSES


def can_be_merged(status: str) -> bool:
    """Only an open concern can become the duplicate of another."""
    return status in MERGEABLE_FROM
