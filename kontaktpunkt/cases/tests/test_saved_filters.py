from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kontaktpunkt.cases.models import SavedFilter
from kontaktpunkt.cases.queries import saved_filters_of
from kontaktpunkt.cases.saved_filters import (
    saved_filter_create,
    saved_filter_delete,
    saved_filter_query_normalise,
)
from kontaktpunkt.core.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_a_saved_filter_keeps_the_query_without_its_paging_cursor(kod_officer):
    saved = saved_filter_create(
        owner=kod_officer, name="Offen", query="?unit=kod&status=new&status=triaged&after=abc"
    )

    assert saved.owner == kod_officer
    assert saved.query == "unit=kod&status=new&status=triaged"


def test_saving_under_an_existing_name_replaces_the_filter(kod_officer):
    first = saved_filter_create(owner=kod_officer, name="Meine", query="status=new")
    second = saved_filter_create(owner=kod_officer, name="Meine", query="status=closed")

    assert first.pk == second.pk
    assert SavedFilter.objects.get(pk=first.pk).query == "status=closed"


def test_saved_filters_are_per_owner(kod_officer, kod_lead):
    saved_filter_create(owner=kod_officer, name="Offen", query="status=new")
    saved_filter_create(owner=kod_lead, name="Offen", query="status=closed")
    saved_filter_create(owner=kod_lead, name="Alle", query="")

    assert [f.query for f in saved_filters_of(owner=kod_officer)] == ["status=new"]
    assert [f.name for f in saved_filters_of(owner=kod_lead)] == ["Alle", "Offen"]


def test_only_the_owner_may_delete_a_saved_filter(kod_officer, kod_lead):
    saved = saved_filter_create(owner=kod_officer, name="Offen", query="status=new")

    with pytest.raises(NotAllowed):
        saved_filter_delete(saved_filter=saved, by=kod_lead)
    assert SavedFilter.objects.filter(pk=saved.pk).exists()

    saved_filter_delete(saved_filter=saved, by=kod_officer)
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_filter_too_long_to_store_is_refused(kod_officer):
    with pytest.raises(ValidationError) as caught:
        saved_filter_create(owner=kod_officer, name="Lang", query="q=" + "ä" * 400)

    assert caught.value.messages == ["Dieser Filter ist zu lang, um ihn zu speichern."]
    assert not SavedFilter.objects.exists()


def test_the_stored_query_is_encoded_afresh():
    assert saved_filter_query_normalise("a=1 2&b=<x>&before=z") == "a=1+2&b=%3Cx%3E"
