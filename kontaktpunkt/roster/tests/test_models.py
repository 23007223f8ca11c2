from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kontaktpunkt.roster.models import ShiftType, StaffMember, Wish, WishKind
from kontaktpunkt.roster.tests.factories import kod

pytestmark = pytest.mark.django_db


def test_the_default_shifts_are_early_and_late():
    shifts = list(ShiftType.objects.values_list("code", "letter", "start", "end"))

    assert shifts == [("E", "F", time(6), time(14)), ("L", "S", time(14), time(22))]


def test_a_split_shift_pays_only_its_two_parts():
    split = ShiftType(code="G", name="Geteilt", letter="G", start=time(8), end=time(20))
    split.gap_start, split.gap_end = time(12), time(16)

    split.full_clean()
    assert split.unpaid_minutes == 240


def test_a_gap_outside_the_shift_is_refused():
    shift = ShiftType(code="X", name="X", letter="X", start=time(8), end=time(12))
    shift.gap_start, shift.gap_end = time(13), time(14)

    with pytest.raises(ValidationError):
        shift.full_clean()


def test_a_colour_must_be_a_hex_code():
    shift = ShiftType(code="Y", name="Y", letter="Y", start=time(8), end=time(12), colour="red;x")

    with pytest.raises(ValidationError):
        shift.full_clean()


def test_staff_hours_and_qualifications_read_as_the_core_expects():
    member = StaffMember(
        unit=kod(), personnel_number="1", name="Eva", weekly_hours=Decimal("19.5"), desk=True
    )

    assert member.weekly_minutes == 1170
    assert member.qualifications == frozenset({"desk"})


def test_every_staff_member_gets_a_calendar_secret_of_their_own():
    first = StaffMember.objects.create(unit=kod(), personnel_number="1", name="A")
    second = StaffMember.objects.create(unit=kod(), personnel_number="2", name="B")

    assert first.calendar_token != second.calendar_token


def test_a_shift_wish_must_name_its_shift():
    member = StaffMember.objects.create(unit=kod(), personnel_number="1", name="A")

    with pytest.raises(IntegrityError):
        Wish.objects.create(staff=member, day="2025-01-06", kind=WishKind.SHIFT)
