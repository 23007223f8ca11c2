from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from kontaktpunkt.roster.domain import (
    Absence,
    AbsenceKind,
    CarryIn,
    Post,
    Qualification,
    Wish,
    WishKind,
)
from kontaktpunkt.roster.instance import (
    DEFAULT_SHIFT_TYPES,
    InstanceError,
    absences_from_csv,
    demand_from_csv,
    instance_bundled,
    instance_from_csv,
    instance_from_json,
    instance_head,
    instance_with_absences,
    staff_from_csv,
    wishes_from_csv,
)

START = date(2025, 1, 1)


def _kod48_json():
    text = resources.files("kontaktpunkt.roster").joinpath("data", "kod48.json").read_text("utf-8")
    return json.loads(text)


def test_kod48_loads_with_every_hour_in_minutes(kod48):
    assert (kod48.name, kod48.start, kod48.n_days) == ("KOD-48", START, 365)
    assert len(kod48.staff) == 48
    assert kod48.team_leads == tuple(range(8))
    assert {s.weekly_minutes for s in kod48.staff} == {39 * 60}
    assert [(s.code, s.minutes, s.late) for s in kod48.shift_types] == [
        ("E", 480, False),
        ("L", 480, True),
    ]
    rules = kod48.rules
    assert (rules.hours_tolerance_minutes, rules.block_days, rules.max_consecutive_days) == (
        480,
        28,
        6,
    )
    assert rules.free_sundays_per_year == 15


def test_kod48_demand_absences_wishes_and_history_are_read(kod48):
    early = kod48.demand[0][0]

    assert (early.minimum, early.target, early.team_leads) == (12, 14, 1)
    assert dict(early.posts) == {
        Post.PATROL_PAIR: 4,
        Post.TEAM_LEAD: 1,
        Post.DESK: 1,
        Post.MOBILE: 2,
    }
    assert len(kod48.absences) == 48 * 40
    assert all(a.kind is AbsenceKind.LEAVE for a in kod48.absences)
    assert len(kod48.wishes) == 1136
    assert kod48.history[0] == CarryIn("L", 4)


def test_a_dash_in_the_history_means_no_shift_the_day_before(kod48):
    assert CarryIn(None, 0) in kod48.history


def test_the_stress_instance_loads_too():
    stress = instance_bundled("kod48_t100")

    assert stress.name == "KOD-48-T100"
    assert sum(d[0].target for d in stress.demand) > sum(
        d[0].target for d in instance_bundled("kod48").demand
    )


def test_tenths_that_disagree_with_the_shift_times_are_refused():
    data = _kod48_json()
    data["rules"]["shift_units"] = 70

    with pytest.raises(InstanceError, match="Ungültige Dienstplan-Instanz: shift_units"):
        instance_from_json(data)


def test_an_unknown_bundled_instance_is_refused():
    with pytest.raises(InstanceError):
        instance_bundled("kod99")


def test_the_head_of_an_instance_keeps_its_first_days(kod48):
    head = instance_head(kod48, 14)

    assert head.n_days == 14
    assert len(head.demand) == 14
    assert all(a.day < 14 for a in head.absences)
    assert all(w.day < 14 for w in head.wishes)
    assert head.history == kod48.history


def test_a_sick_call_adds_absences_but_keeps_existing_ones(kod48_week):
    leave = kod48_week.absences[0]
    sick = [
        Absence(leave.person, leave.day, AbsenceKind.SICKNESS),
        Absence(47, 3, AbsenceKind.SICKNESS),
    ]

    updated = instance_with_absences(kod48_week, sick)

    assert updated.absent[(leave.person, leave.day)].kind is AbsenceKind.LEAVE
    assert updated.absent[(47, 3)].kind is AbsenceKind.SICKNESS
    assert len(updated.absences) == len(kod48_week.absences) + 1


def test_staff_are_read_from_a_semicolon_csv_with_german_decimals():
    staff = staff_from_csv(
        "id;name;weekly_hours;qualifications\n7;Anna Beck;19,5;team_lead driver\n"
    )

    assert staff[0].id == "7"
    assert staff[0].weekly_minutes == 1170
    assert staff[0].qualifications == {Qualification.TEAM_LEAD, Qualification.DRIVER}


def test_absences_are_expanded_from_ranges_and_cut_to_the_horizon():
    staff = staff_from_csv("id,name,weekly_hours\na,A,39\nb,B,39\n")
    text = (
        "person,from,until,kind\na,2025-01-02,2025-01-04,leave\nb,30.01.2025,02.02.2025,sickness\n"
    )

    absences = absences_from_csv(text, start=START, n_days=31, staff=staff)

    assert absences == (
        Absence(0, 1),
        Absence(0, 2),
        Absence(0, 3),
        Absence(1, 29, AbsenceKind.SICKNESS),
        Absence(1, 30, AbsenceKind.SICKNESS),
    )


def test_wishes_may_ask_for_a_day_off_or_a_shift():
    staff = staff_from_csv("id,name,weekly_hours\na,A,39\n")
    text = "person,date,kind,shift\na,2025-01-03,,\na,2025-01-04,shift,E\n"

    wishes = wishes_from_csv(
        text, start=START, n_days=7, staff=staff, shift_types=DEFAULT_SHIFT_TYPES
    )

    assert wishes == (Wish(0, 2), Wish(0, 3, WishKind.SHIFT, "E"))


def test_demand_needs_a_row_for_every_day_and_shift():
    text = "date,shift,minimum,target\n2025-01-01,E,3,4\n"

    with pytest.raises(InstanceError) as caught:
        demand_from_csv(text, start=START, n_days=1, shift_types=DEFAULT_SHIFT_TYPES)

    assert str(caught.value) == "Kein Bedarf für Spät am Mi 01.01.2025 angegeben."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person,from\nz,2025-01-01\n", "Zeile 2: unbekannte Person „z“."),
        ("person\na\n", "Spalte „from“ fehlt."),
        ("person,from\na,1.13.2025\n", "Zeile 2: ungültiger Wert „1.13.2025“ in Spalte „from“."),
        (
            "person,from,kind\na,2025-01-01,holiday\n",
            "Zeile 2: ungültiger Wert „holiday“ in Spalte „kind“.",
        ),
    ],
)
def test_csv_errors_name_the_line_and_the_problem_in_german(text, message):
    staff = staff_from_csv("id,name,weekly_hours\na,A,39\n")

    with pytest.raises(InstanceError) as caught:
        absences_from_csv(text, start=START, n_days=7, staff=staff)

    assert str(caught.value) == message


def test_an_instance_is_built_from_csv_files():
    instance = instance_from_csv(
        name="Probe",
        start=START,
        n_days=2,
        staff_csv="id,name,weekly_hours,qualifications\n1,Lea,39,team_lead\n2,Max,39,\n",
        demand_csv=(
            "date,shift,minimum,target,team_leads,patrol_pairs\n"
            "2025-01-01,E,1,2,1,0\n2025-01-01,L,1,2,1,0\n"
            "2025-01-02,E,2,2,1,1\n2025-01-02,L,1,1,0,0\n"
        ),
        absences_csv="person,from\n2,2025-01-02\n",
        wishes_csv="person,date\n1,2025-01-01\n",
    )

    assert [s.name for s in instance.staff] == ["Lea", "Max"]
    assert instance.demand[1][0].posts == ((Post.PATROL_PAIR, 1),)
    assert instance.demand[1][1].team_leads == 0
    assert instance.absences == (Absence(1, 1),)
    assert instance.wishes == (Wish(0, 0),)
