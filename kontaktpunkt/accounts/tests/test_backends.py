from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_administrator_may_manage_every_model_in_the_admin(admin):
    assert admin.has_perm("intake.change_category")
    assert admin.has_module_perms("geo")


def test_staff_without_the_administrator_role_may_manage_nothing(kod_lead):
    kod_lead.is_staff = True
    kod_lead.save()
    assert not kod_lead.has_perm("intake.change_category")
    assert not kod_lead.has_module_perms("intake")


def test_an_administrator_without_the_staff_flag_does_not_get_into_the_admin(admin):
    admin.is_staff = False
    admin.save()
    assert not admin.has_perm("intake.change_category")


def test_the_administrator_does_not_read_concerns_or_reporter_contacts_in_the_admin(admin):
    assert not admin.has_perm("intake.view_concern")
    assert not admin.has_perm("intake.view_reportercontact")
    assert not admin.has_perm("cases.view_attachment")
