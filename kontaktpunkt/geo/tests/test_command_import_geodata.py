from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kontaktpunkt.geo.models import Area, Zone

pytestmark = pytest.mark.django_db


def test_the_command_imports_the_tenants_geodata_and_says_what_it_did(settings):
    settings.KP_TENANT = "krefeld"
    out = StringIO()

    call_command("import_geodata", stdout=out)

    assert Area.objects.filter(level="district").count() == 9
    assert Zone.objects.filter(kind="ban_zone").count() == 410
    assert (
        "32 areas, 513 facilities, 413 zones (958 created, 0 updated, 0 deleted)" in out.getvalue()
    )


def test_running_the_command_twice_changes_nothing(krefeld_directory):
    call_command("import_geodata", directory=str(krefeld_directory), stdout=StringIO())
    out = StringIO()

    call_command("import_geodata", "--directory", str(krefeld_directory), stdout=out)

    assert "(0 created, 0 updated, 0 deleted)" in out.getvalue()


def test_a_folder_without_manifest_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("import_geodata", directory=str(tmp_path))
