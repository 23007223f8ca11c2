from __future__ import annotations

from dataclasses import replace

from kontaktpunkt.roster.domain import Absence, CarryIn, Wish
from kontaktpunkt.roster.greedy import roster_greedy
from kontaktpunkt.roster.tests.builders import tiny_instance
from kontaktpunkt.roster.validator import roster_validate


def test_the_greedy_rota_of_the_hand_built_week_keeps_every_rule():
    instance = tiny_instance()

    assert roster_validate(instance, roster_greedy(instance)) == ()


def test_the_greedy_rota_of_a_kod48_week_keeps_every_rule(kod48_week):
    assert roster_validate(kod48_week, roster_greedy(kod48_week)) == ()


def test_the_greedy_rota_plans_nobody_on_leave(kod48_fortnight):
    rota = roster_greedy(kod48_fortnight)

    assert not any((a.person, a.day) in kod48_fortnight.absent for a in rota.assignments)


def test_the_greedy_rota_leaves_a_wished_day_off_when_others_can_work():
    instance = replace(tiny_instance(), wishes=(Wish(0, 0), Wish(1, 0)))

    rota = roster_greedy(instance)

    assert rota.shift_of(0, 0) is None
    assert rota.shift_of(1, 0) is None


def test_the_greedy_rota_keeps_the_rest_after_a_late_shift_before_day_zero():
    history = tuple(CarryIn("L", 1) for _ in range(6))
    instance = replace(tiny_instance(), history=history, absences=(Absence(5, 0),))

    rota = roster_greedy(instance)

    assert not [p for p in range(6) if rota.shift_of(p, 0) == "E"]
