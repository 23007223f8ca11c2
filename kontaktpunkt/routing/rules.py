"""Which routing rule applies: pure functions over plain data (no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time


@dataclass(frozen=True)
class RuleData:
    id: int
    name: str
    category_id: int | None
    field: str
    area_id: int | None
    zone_id: int | None
    weekdays: frozenset[int]
    time_from: time | None
    time_until: time | None
    months: frozenset[int]
    unit_id: int


@dataclass(frozen=True)
class Situation:
    """What a rule can look at: the concern's category, its place, and the local time of the report."""

    category_id: int | None
    field: str
    area_ids: frozenset[int]  # district and quarter
    zone_ids: frozenset[int]
    at: datetime  # local time


def rule_matches(rule: RuleData, situation: Situation) -> bool:
    return (
        (rule.category_id is None or rule.category_id == situation.category_id)
        and (not rule.field or rule.field == situation.field)
        and (rule.area_id is None or rule.area_id in situation.area_ids)
        and (rule.zone_id is None or rule.zone_id in situation.zone_ids)
        and (not rule.weekdays or situation.at.weekday() in rule.weekdays)
        and (not rule.months or situation.at.month in rule.months)
        and time_in_window(situation.at.time(), rule.time_from, rule.time_until)
    )


def time_in_window(moment: time, start: time | None, end: time | None) -> bool:
    """start ≤ moment < end; a window whose end lies before its start runs over midnight."""
    if start is None and end is None:
        return True
    if start is None:
        return moment < end  # type: ignore[operator]
    if end is None:
        return moment >= start
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def rule_choose(rules: Iterable[RuleData], situation: Situation) -> RuleData | None:
    """The first matching rule of `rules` (given in order of precedence)."""
    return next((rule for rule in rules if rule_matches(rule, situation)), None)
