from __future__ import annotations

import pytest

from kontaktpunkt.accounts.models import Role, Unit
from kontaktpunkt.accounts.permissions import (
    ROLE_PERMISSIONS,
    Perm,
    roles_of,
    units_with_perm,
    user_has_perm,
)
from kontaktpunkt.accounts.services import membership_grant, membership_revoke

pytestmark = pytest.mark.django_db


def test_every_role_has_a_permission_set():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_an_officer_works_the_concerns_of_his_own_unit_only(kod_officer):
    kod, streetwork = Unit.objects.get(slug="kod"), Unit.objects.get(slug="streetwork")
    assert user_has_perm(kod_officer, Perm.CONCERN_EDIT, unit_id=kod.pk)
    assert not user_has_perm(kod_officer, Perm.CONCERN_EDIT, unit_id=streetwork.pk)
    assert units_with_perm(kod_officer, Perm.CONCERN_VIEW_UNIT) == {kod.pk}


def test_only_streetwork_sees_confidential_social_work(
    streetworker, kod_lead, analyst, partner_city_works, admin
):
    assert user_has_perm(streetworker, Perm.STREETWORK_CONFIDENTIAL)
    for person in (kod_lead, analyst, partner_city_works, admin):
        assert not user_has_perm(person, Perm.STREETWORK_CONFIDENTIAL)


def test_a_partner_sees_nothing_but_what_was_forwarded_to_it(partner_city_works):
    assert not user_has_perm(partner_city_works, Perm.CONCERN_VIEW_ALL)
    assert not user_has_perm(partner_city_works, Perm.CONCERN_RECORD)
    assert user_has_perm(partner_city_works, Perm.PARTNER_RESPOND)


def test_only_the_data_protection_officer_audits_personal_data(dpo, admin, kod_lead):
    assert user_has_perm(dpo, Perm.PRIVACY_AUDIT)
    assert not user_has_perm(admin, Perm.PRIVACY_AUDIT)
    assert not user_has_perm(kod_lead, Perm.PRIVACY_AUDIT)


def test_an_inactive_person_may_do_nothing(kod_lead):
    kod_lead.is_active = False
    assert not user_has_perm(kod_lead, Perm.CONCERN_RECORD)
    assert roles_of(kod_lead) == set()


def test_roles_follow_memberships(kod_officer):
    kod = Unit.objects.get(slug="kod")
    membership_grant(user=kod_officer, unit=kod, role=Role.KOD_LEAD)
    assert roles_of(kod_officer) == {Role.KOD_OFFICER, Role.KOD_LEAD}
    assert membership_revoke(user=kod_officer, unit=kod, role=Role.KOD_LEAD)
    assert roles_of(kod_officer) == {Role.KOD_OFFICER}


def test_a_membership_in_a_switched_off_unit_grants_nothing(kod_officer):
    Unit.objects.filter(slug="kod").update(active=False)
    kod_officer.refresh_from_db()
    assert not user_has_perm(kod_officer, Perm.CONCERN_RECORD)
    assert roles_of(kod_officer) == set()
