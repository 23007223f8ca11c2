from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.roster.models import Absence, RosterPlan, StaffMember

pytestmark = pytest.mark.django_db

STAFF_CSV = (
    "id;name;weekly_hours;qualifications\n7;Anna Beispiel;39;team_lead desk\n8;Ben Muster;19,5;\n"
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kod() -> int:
    return Unit.objects.get(slug="kod").pk


def _instance() -> dict[str, object]:
    return {
        "name": "Mini",
        "start": "2025-01-06",
        "n_days": 2,
        "staff": [{"id": 1, "name": "Eva", "team_lead": True, "weekly_hours": 39}],
        "rules": {"shifts": {"E": "06-14", "L": "14-22"}},
        "demand": [
            {"E": {"min": 1, "target": 1, "team_lead": 1}, "L": {"min": 0, "target": 0}},
            {"E": {"min": 1, "target": 1, "team_lead": 1}, "L": {"min": 0, "target": 0}},
        ],
        "leave": {"1": [1]},
    }


def _post_json(client: Client, content: bytes):
    upload = SimpleUploadedFile("instanz.json", content, content_type="application/json")
    return client.post(reverse("roster:import"), {"format": "json", "unit": _kod(), "file": upload})


def test_a_json_instance_becomes_a_plan_with_staff_and_leave(kod_lead):
    response = _post_json(_client(kod_lead), json.dumps(_instance()).encode())

    plan = RosterPlan.objects.get(name="Mini")
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:plan", args=[plan.pk])
    eva = StaffMember.objects.get(unit_id=_kod(), personnel_number="1")
    assert eva.team_lead
    assert Absence.objects.get(staff=eva).kind == "leave"


def test_a_file_that_is_not_json_is_refused_in_german_with_the_place(kod_lead):
    response = _post_json(_client(kod_lead), b'{"name": "Mini",\n "start": }')

    assert response.status_code == 400
    assert "Die Datei ist kein gültiges JSON (Zeile 2, Spalte 11" in response.content.decode()
    assert not RosterPlan.objects.exists()


def test_json_without_the_fields_of_an_instance_is_refused_in_german(kod_lead):
    data = _instance()
    del data["rules"]

    response = _post_json(_client(kod_lead), json.dumps(data).encode())

    assert response.status_code == 400
    assert "Ungültige Dienstplan-Instanz" in response.content.decode()


def _post_csv(client: Client, staff_csv: str, **files: str):
    data = {
        "format": "csv",
        "unit": _kod(),
        "name": "Aus CSV",
        "start": "2025-01-06",
        "n_days": 7,
        "staff_file": SimpleUploadedFile("personal.csv", staff_csv.encode()),
    }
    for name, text in files.items():
        data[name] = SimpleUploadedFile(f"{name}.csv", text.encode())
    return client.post(reverse("roster:import"), data)


def test_csv_files_become_a_plan_that_follows_the_units_demand(kod_lead):
    absences = "person;from;until;kind\n8;07.01.2025;08.01.2025;training\n"

    response = _post_csv(_client(kod_lead), STAFF_CSV, absences_file=absences)

    assert response.status_code == 302
    plan = RosterPlan.objects.get(name="Aus CSV")
    assert not plan.demand_rules.exists()
    ben = StaffMember.objects.get(unit_id=_kod(), personnel_number="8")
    assert str(ben.weekly_hours) == "19.50"
    absence = Absence.objects.get(staff=ben)
    assert (absence.kind, str(absence.first_day), str(absence.last_day)) == (
        "training",
        "2025-01-07",
        "2025-01-08",
    )


def test_a_csv_without_a_required_column_is_refused_in_german(kod_lead):
    response = _post_csv(_client(kod_lead), "id;name\n7;Anna Beispiel\n")

    assert response.status_code == 400
    assert "Spalte „weekly_hours“ fehlt." in response.content.decode()
    assert not RosterPlan.objects.exists()


def test_a_csv_row_with_a_bad_value_names_its_line(kod_lead):
    absences = "person;from\n7;2025-13-01\n"

    response = _post_csv(_client(kod_lead), STAFF_CSV, absences_file=absences)

    assert response.status_code == 400
    assert "Zeile 2: ungültiger Wert „2025-13-01“ in Spalte „from“." in response.content.decode()


def test_a_file_that_is_not_utf8_is_refused_in_german(kod_lead):
    upload = SimpleUploadedFile("instanz.json", '{"name": "Jürgen"}'.encode("latin-1"))

    response = _client(kod_lead).post(
        reverse("roster:import"), {"format": "json", "unit": _kod(), "file": upload}
    )

    assert response.status_code == 400
    assert "Die Datei ist nicht UTF-8-kodiert." in response.content.decode()


def test_only_planners_may_import(desk_clerk, kod_officer):
    for person in (desk_clerk, kod_officer):
        assert _client(person).get(reverse("roster:import")).status_code == 403
