"""Writes of the Open311 adapter: API keys, and a service request handed to intake."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.attachments import CleanUpload
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.intake.models import Concern
from kontaktpunkt.intake.services import ConcernInput, concern_submit
from kontaktpunkt.open311.models import ApiKey

KEY_PREFIX_LENGTH = 8


def api_key_hash(raw: str) -> str:
    """The stored form of a key; keys are long random strings, so a plain SHA-256 suffices."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_issue(
    *, client_name: str, rate_limit_per_minute: int = 60, by: User | None
) -> tuple[ApiKey, str]:
    """Create a key for a client; the raw key is returned once and never stored."""
    raw = api_key_new()
    key = ApiKey()
    api_key_fill(key=key, raw=raw)
    key.client_name = client_name
    key.rate_limit_per_minute = rate_limit_per_minute
    key.created_by = by if by is not None and by.is_authenticated else None
    key.save()
    return key, raw


def api_key_new() -> str:
    return secrets.token_urlsafe(32)


def api_key_fill(*, key: ApiKey, raw: str) -> None:
    """Set prefix and hash of a not yet saved key (used by the admin's add form)."""
    key.prefix = raw[:KEY_PREFIX_LENGTH]
    key.key_hash = api_key_hash(raw)


def api_key_revoke(*, key: ApiKey) -> None:
    if key.active:
        key.active = False
        key.revoked_at = timezone.now()
        key.save(update_fields=["active", "revoked_at"])


def api_key_find(*, raw: str) -> ApiKey | None:
    """The active key with this value, or None (missing, wrong or revoked)."""
    if not raw:
        return None
    return ApiKey.objects.filter(key_hash=api_key_hash(raw), active=True).first()


LAST_USED_PRECISION = timedelta(minutes=1)


def api_key_touch(*, key: ApiKey) -> None:
    """Note when the key was used, to the minute: not one more write per request of a busy client."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_PRECISION:
        return
    key.last_used_at = now
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def service_request_create(*, data: ConcernInput, uploads: Sequence[CleanUpload]) -> Concern:
    """One concern through intake, with its uploaded media as attachments, all or nothing."""
    with transaction.atomic():
        concern = concern_submit(data=data, by=None)
        for upload in uploads:
            # attachment_add is typed for a signed-in person; an API client has none (the field
            # uploaded_by is nullable and concern_log accepts None).
            attachment_add(concern=concern, upload=upload, by=None, expected_version=None)
    return concern
