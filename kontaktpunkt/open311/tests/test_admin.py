"""API keys in the admin: issued with the key shown once, stored only as a hash, revoked by an action."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kontaktpunkt.open311.models import ApiKey
from kontaktpunkt.open311.services import api_key_find, api_key_hash, api_key_issue

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_key_and_sees_it_once(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:open311_apikey_add"),
        {"client_name": "Mark-a-Spot Stadtwerke", "rate_limit_per_minute": "30"},
        follow=True,
    )

    text = response.content.decode()
    shown = re.search("lautet: (\\S+) \u2013 kopieren", text)
    assert shown is not None
    raw = shown.group(1)
    key = ApiKey.objects.get()
    assert key.key_hash == api_key_hash(raw) and raw not in key.key_hash
    assert key.prefix == raw[:8] and key.created_by == admin_user
    assert api_key_find(raw=raw) == key
    page = admin_client.get(reverse("admin:open311_apikey_change", args=[key.pk])).content.decode()
    assert raw not in page


def test_an_administrator_revokes_keys_with_the_action(admin_client):
    key, raw = api_key_issue(client_name="Alt", by=None)

    admin_client.post(
        reverse("admin:open311_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )

    key.refresh_from_db()
    assert not key.active and key.revoked_at is not None
    assert api_key_find(raw=raw) is None


def test_the_admin_list_is_german(admin_client):
    api_key_issue(client_name="App", by=None)

    assert (
        "API-Schlüssel"
        in admin_client.get(reverse("admin:open311_apikey_changelist")).content.decode()
    )
