from __future__ import annotations

import json
from dataclasses import replace
from datetime import time

import pytest

from kontaktpunkt.roster import domain
from kontaktpunkt.roster.imports import (
    CsvFiles,
    ImportRefused,
    instance_store,
    plan_import_csv,
    plan_import_json,
)
from kontaktpunkt.roster.instance import instance_head
from kontaktpunkt.roster.models import Absence, DemandRule, ShiftType, StaffMember, Wish
from kontaktpunkt.roster.selectors import plan_snapshot
from kontaktpunkt.roster.tests.builders import tiny_instance
from kontaktpunkt.roster.tests.factories import kod

pytestmark = pytest.mark.django_db


def test_a_stored_instance_comes_back_with_the_same_demand_absences_wishes_and_history(
    kod48_fortnight, kod_lead
):
    plan = instance_store(instance=kod48_fortnight, unit=kod(), by=kod_lead, own_demand=True)

    back = plan_snapshot(plan=plan, version=None).instance
    assert (back.start, back.n_days, len(back.staff)) == (kod48_fortnight.start, 14, 48)
    assert [(d.minimum, d.target, d.team_leads) for day in back.demand for d in day] == [
        (d.minimum, d.target, d.team_leads) for day in kod48_fortnight.demand for d in day
    ]
    assert dict(back.demand[0][0].posts) == dict(kod48_fortnight.demand[0][0].posts)
    assert sorted((a.person, a.day) for a in back.absences) == sorted(
        (a.person, a.day) for a in kod48_fortnight.absences
    )
    assert set(back.wishes) == set(kod48_fortnight.wishes)
    assert back.history == kod48_fortnight.history
    # a post with the same numbers every day has one rule per shift, the others a rule per day
    assert DemandRule.objects.filter(plan=plan, on_date=None).exists()
    assert DemandRule.objects.filter(plan=plan).count() < 14 * 2 * 4


def test_leave_on_consecutive_days_is_one_absence(kod_lead):
    instance = replace(
        tiny_instance(),
        absences=tuple(domain.Absence(2, d) for d in (0, 1, 2, 5)),
    )

    instance_store(instance=instance, unit=kod(), by=kod_lead, own_demand=True)

    ranges = Absence.objects.values_list("first_day__day", "last_day__day")
    assert sorted(ranges) == [(6, 8), (11, 11)]


def test_a_second_import_updates_staff_and_does_not_double_absences_or_wishes(kod_lead):
    instance = replace(
        tiny_instance(),
        absences=(domain.Absence(1, 3),),
        wishes=(domain.Wish(0, 4),),
    )

    instance_store(instance=instance, unit=kod(), by=kod_lead, own_demand=True)
    renamed = replace(instance, staff=(replace(instance.staff[0], name="Neu"), *instance.staff[1:]))
    instance_store(instance=renamed, unit=kod(), by=kod_lead, own_demand=True)

    assert StaffMember.objects.count() == 6
    assert StaffMember.objects.get(personnel_number="0").name == "Neu"
    assert (Absence.objects.count(), Wish.objects.count()) == (1, 1)


def test_a_shift_that_differs_from_the_configured_one_is_refused(kod_lead):
    other = replace(
        tiny_instance(), shift_types=(domain.ShiftType("E", "Früh", time(7), time(15)),)
    )

    with pytest.raises(ImportRefused, match="Die Schicht „E“ dauert hier 06:00-14:00"):
        instance_store(instance=other, unit=kod(), by=kod_lead, own_demand=True)


def test_a_new_shift_type_of_an_instance_is_created(kod_lead):
    night = domain.ShiftType("N", "Nacht", time(22), time(6), late=True)
    instance = replace(
        tiny_instance(),
        shift_types=(night,),
        demand=tuple((domain.ShiftDemand(0, 0, 0),) for _ in range(7)),
    )

    instance_store(instance=instance, unit=kod(), by=kod_lead, own_demand=True)

    created = ShiftType.objects.get(code="N")
    assert (created.start, created.end, created.letter) == (time(22), time(6), "N")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "kein JSON-Objekt"),
        (b'{"name": "x"', r"kein gültiges JSON \(Zeile 1, Spalte 13"),
        (json.dumps({"name": "x"}).encode(), "Ungültige Dienstplan-Instanz"),
        ("ä".encode("latin-1"), "nicht UTF-8-kodiert"),
    ],
)
def test_a_broken_json_file_says_in_german_what_is_wrong(content, message, kod_lead):
    with pytest.raises(ImportRefused, match=message):
        plan_import_json(unit=kod(), content=content, by=kod_lead)


def test_csv_demand_becomes_rules_of_the_plan(kod_lead):
    demand = "\n".join(
        ["date,shift,minimum,target,team_leads,patrol_pairs"]
        + [f"2025-01-0{6 + d},{s},3,4,1,1" for d in range(2) for s in ("E", "L")]
    )
    files = CsvFiles(
        staff=b"id,name,weekly_hours,qualifications\n1,Eva,39,team_lead\n", demand=demand.encode()
    )

    plan = plan_import_csv(
        unit=kod(), name="CSV", start=tiny_instance().start, n_days=2, files=files, by=kod_lead
    )

    demand_back = plan_snapshot(plan=plan, version=None).instance.demand
    assert [(d.minimum, d.target, d.team_leads) for d in demand_back[1]] == [(3, 4, 1), (3, 4, 1)]


def test_a_bad_csv_names_the_file_and_the_line(kod_lead):
    files = CsvFiles(staff=b"id,name,weekly_hours\n1,Eva,viel\n")

    with pytest.raises(ImportRefused, match="Zeile 2: ungültiger Wert „viel“"):
        plan_import_csv(
            unit=kod(), name="CSV", start=tiny_instance().start, n_days=7, files=files, by=kod_lead
        )


def test_the_head_of_the_benchmark_instance_imports_quickly(kod48, kod_lead):
    plan = instance_store(
        instance=instance_head(kod48, 28), unit=kod(), by=kod_lead, own_demand=True
    )

    assert plan.n_days == 28
    assert StaffMember.objects.filter(unit=kod()).count() == 48
