from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.geo.models import Area
from kontaktpunkt.intake.models import IntakePoint

pytestmark = pytest.mark.django_db


def test_loading_krefeld_twice_gives_the_same_units_intake_points_and_areas():
    out = StringIO()
    call_command("load_tenant", "krefeld", stdout=out)
    counts = (IntakePoint.objects.count(), Area.objects.count(), Unit.objects.count())
    call_command("load_tenant", "krefeld", stdout=out)
    assert (IntakePoint.objects.count(), Area.objects.count(), Unit.objects.count()) == counts
    assert "krefeld" in out.getvalue()


def test_krefelds_partners_carry_their_local_names_and_contact_channels():
    call_command("load_tenant", "krefeld")
    city_works = Unit.objects.get(slug="city-works")
    assert city_works.short_name == "KBK"
    assert city_works.contact_channels.filter(kind="open311").exists()
    assert Unit.objects.get(slug="street-cleaning").short_name == "GSAK"


def test_the_contact_point_opens_at_koenigstrasse_114_on_weekdays_and_saturdays():
    call_command("load_tenant", "krefeld")
    point = IntakePoint.objects.get(slug="kontaktpunkt-city")
    assert point.address.startswith("Königstraße 114")
    assert sorted({rule.weekday for rule in point.schedule.rules.all()}) == [0, 1, 2, 3, 4, 5]


def test_an_unknown_tenant_is_a_clear_error():
    with pytest.raises(CommandError, match="No tenant configuration"):
        call_command("load_tenant", "atlantis")
