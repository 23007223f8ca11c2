"""Demand per day and shift from demand rules — pure: the rules arrive as plain values.

A rule says how many people a post needs (minimum and target) on a shift. It holds on its weekdays
and months (all when empty) within its validity, or on one date. On a day with a dated rule for a
post, only the dated rules of that post count (an event replaces the weekly staffing). A rule tied
to an intake point holds only while the point is open during the shift (the Mobile Wache from
October to March 08-20, the contact-point desk by its opening hours). Several rules for the same
post, shift and day: the highest minimum and the highest target hold.

Numbers are people; a patrol pair is two, so the patrol minimum becomes `minimum // 2` pairs. The
team-lead post sets how many team leads a shift needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from kontaktpunkt.roster.domain import MINUTES_PER_DAY, Post, ShiftDemand, ShiftType

Openings = Callable[[date], Sequence[tuple[time, time]]]
POST_ORDER = (Post.PATROL_PAIR, Post.TEAM_LEAD, Post.DESK, Post.MOBILE)


@dataclass(frozen=True)
class DemandRuleSpec:
    post: Post
    minimum: int
    target: int
    shift: str | None = None  # a shift code; None: every shift
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; empty: every day
    months: frozenset[int] = frozenset()  # 1-12; empty: all year
    on_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    openings: Openings | None = None  # the opening hours of the intake point it is tied to


def demand_resolve(
    rules: Sequence[DemandRuleSpec], shift_types: Sequence[ShiftType], start: date, n_days: int
) -> tuple[tuple[ShiftDemand, ...], ...]:
    """The demand of every day (from `start`) and shift type."""
    index = _RuleIndex(rules)
    return tuple(
        tuple(index.shift_demand(shift, start + timedelta(days=d)) for shift in shift_types)
        for d in range(n_days)
    )


def shift_demand(rules: Sequence[DemandRuleSpec], shift: ShiftType, day: date) -> ShiftDemand:
    return _RuleIndex(rules).shift_demand(shift, day)


def post_need(
    rules: Sequence[DemandRuleSpec], post: Post, shift: ShiftType, day: date
) -> tuple[int, int]:
    """(minimum, target) people of `post` on `shift` on `day`."""
    return _RuleIndex(rules).post_need(post, shift, day)


class _RuleIndex:
    """The rules by post, the dated ones by post and date, so that a year of days stays quick."""

    def __init__(self, rules: Sequence[DemandRuleSpec]) -> None:
        self.weekly: dict[Post, list[DemandRuleSpec]] = defaultdict(list)
        self.dated: dict[tuple[Post, date], list[DemandRuleSpec]] = defaultdict(list)
        for rule in rules:
            if rule.on_date is None:
                self.weekly[rule.post].append(rule)
            else:
                self.dated[(rule.post, rule.on_date)].append(rule)

    def shift_demand(self, shift: ShiftType, day: date) -> ShiftDemand:
        per_post = {post: self.post_need(post, shift, day) for post in POST_ORDER}
        minimum = sum(m for m, _ in per_post.values())
        target = sum(t for _, t in per_post.values())
        counts = (
            (Post.PATROL_PAIR, per_post[Post.PATROL_PAIR][0] // 2),
            (Post.TEAM_LEAD, per_post[Post.TEAM_LEAD][0]),
            (Post.DESK, per_post[Post.DESK][0]),
            (Post.MOBILE, per_post[Post.MOBILE][0]),
        )
        return ShiftDemand(
            minimum=minimum,
            target=max(target, minimum),
            team_leads=per_post[Post.TEAM_LEAD][0],
            posts=tuple((post, n) for post, n in counts if n),
        )

    def post_need(self, post: Post, shift: ShiftType, day: date) -> tuple[int, int]:
        dated = [r for r in self.dated.get((post, day), ()) if _holds(r, shift, day)]
        chosen = dated or [r for r in self.weekly.get(post, ()) if _holds(r, shift, day)]
        if not chosen:
            return 0, 0
        minimum = max(r.minimum for r in chosen)
        return minimum, max(minimum, *(r.target for r in chosen))


def _holds(rule: DemandRuleSpec, shift: ShiftType, day: date) -> bool:
    if rule.shift is not None and rule.shift != shift.code:
        return False
    if rule.on_date is not None:
        return rule.on_date == day and _open(rule, shift, day)
    if rule.valid_from is not None and day < rule.valid_from:
        return False
    if rule.valid_until is not None and day > rule.valid_until:
        return False
    if rule.weekdays and day.weekday() not in rule.weekdays:
        return False
    if rule.months and day.month not in rule.months:
        return False
    return _open(rule, shift, day)


def _open(rule: DemandRuleSpec, shift: ShiftType, day: date) -> bool:
    """Whether the rule's intake point (if any) is open during the shift's hours on that day."""
    if rule.openings is None:
        return True
    first = shift.start_minute
    last = min(shift.end_minute, MINUTES_PER_DAY)
    return any(
        _minute(opens) < last and first < _minute(closes) for opens, closes in rule.openings(day)
    )


def _minute(clock: time) -> int:
    return clock.hour * 60 + clock.minute
