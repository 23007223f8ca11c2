"""Life cycles of demo concerns (kontaktpunkt/demo/lifecycle.py)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kontaktpunkt.core.business_time import ScheduleSpec, weekly_rules
from kontaktpunkt.demo.lifecycle import Draft, Person, Staff, UnitRef, lifecycle_plan

TZ = ZoneInfo("Europe/Berlin")
KOD_HOURS = ScheduleSpec(rules=weekly_rules(range(7), time(6), time(22)), state="NW")
OFFICE = ScheduleSpec(rules=weekly_rules(range(5), time(8), time(16)), state="NW")
KOD = UnitRef(1, "kod", "KOD", False, KOD_HOURS)
CITY_WORKS = UnitRef(2, "city-works", "KBK", True, OFFICE)
STAFF = Staff(
    desk=(Person(1, "Schalter"),),
    officers=(Person(2, "Officer A"), Person(3, "Officer B")),
    leads=(Person(4, "Lead"),),
    streetworkers=(Person(5, "Streetwork"),),
    partners={"city-works": (Person(6, "Partner"),)},
)
REPORTED = datetime(2025, 6, 3, 14, 0, tzinfo=TZ)


def _draft(unit: UnitRef = KOD, **kwargs: object) -> Draft:
    values: dict[str, object] = {
        "reported_at": REPORTED,
        "channel": "web",
        "category_id": 1,
        "category_code": "order-noise",
        "category_label": "Ordnung / Lärm",
        "field": "order",
        "unit": unit,
        "deadline_hours": 8.0,
        "priority": 2,
        "needs_help": False,
        "public_category": True,
        "address": "Königstraße 114",
        "has_contact": True,
        "wants_updates": True,
    }
    values.update(kwargs)
    return Draft(**values)  # type: ignore[arg-type]


def test_an_old_concern_is_dealt_with_and_its_timeline_is_in_order() -> None:
    now = REPORTED + timedelta(days=200)
    for seed in range(200):
        life = lifecycle_plan(random.Random(seed), _draft(), staff=STAFF, now=now, tz=TZ)
        times = [e.at for e in life.events]
        assert times == sorted(times)
        assert life.events[0].kind == "created"
        assert life.events[0].at == REPORTED
        assert times[-1] <= now
        assert (life.resolved_at is not None) == (life.status in {"resolved", "closed"})
        assert (life.closed_at is not None) == (life.status == "closed")


def test_nothing_happens_after_now() -> None:
    now = REPORTED + timedelta(minutes=1)
    life = lifecycle_plan(random.Random(1), _draft(), staff=STAFF, now=now, tz=TZ)
    assert life.status == "new"
    assert [e.kind for e in life.events] == ["created"]


def test_a_concern_for_a_partner_is_forwarded_and_answered_by_the_partner() -> None:
    now = REPORTED + timedelta(days=365)
    kinds: set[str] = set()
    for seed in range(50):
        life = lifecycle_plan(
            random.Random(seed),
            _draft(CITY_WORKS, deadline_hours=40.0),
            staff=STAFF,
            now=now,
            tz=TZ,
        )
        kinds |= {e.kind for e in life.events}
        assert life.assignee is None
    assert {"forwarded", "partner_update"} <= kinds


def test_most_concerns_meet_their_deadline_but_not_all() -> None:
    now = REPORTED + timedelta(days=365)
    met = 0
    resolved = 0
    for seed in range(400):
        life = lifecycle_plan(random.Random(seed), _draft(), staff=STAFF, now=now, tz=TZ)
        if life.resolved_at is not None:
            resolved += 1
            met += life.resolved_at <= life.due_at
    assert 0.6 < met / resolved < 0.95


def test_a_duplicate_is_merged_and_the_reporter_told_the_original_reference() -> None:
    now = REPORTED + timedelta(days=5)
    draft = _draft(duplicate_of=0, duplicate_reference="KP-2025-000001")
    life = lifecycle_plan(random.Random(3), draft, staff=STAFF, now=now, tz=TZ)
    assert life.status == "duplicate"
    assert life.events[1].kind == "merged"
    assert any("KP-2025-000001" in e.text for e in life.events if e.public)


def test_a_place_outside_the_city_is_rejected() -> None:
    now = REPORTED + timedelta(days=5)
    life = lifecycle_plan(random.Random(4), _draft(outside_city=True), staff=STAFF, now=now, tz=TZ)
    assert life.status == "rejected"
    assert any("außerhalb" in e.text for e in life.events)
