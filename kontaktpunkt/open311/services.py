"""Writes of the Open311 adapter: API keys, and a service request handed to intake."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.attachments import CleanUpload
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.core.process_cache import process_cache_on_clear
from kontaktpunkt.intake.models import Category, Channel, Concern
from kontaktpunkt.intake.services import (
    ConcernInput,
    ReporterInput,
    concern_reference_block,
    concern_submit,
    reference_counter_upsert_sql,
)
from kontaktpunkt.open311.models import ApiKey, Submission

log = logging.getLogger(__name__)

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
    _keys.forget(key.key_hash)


def api_key_find(*, raw: str) -> ApiKey | None:
    """The active key with this value, or None (missing, wrong or revoked).

    Found keys are remembered by the process for KEY_CACHE_S seconds (client name, rate limit); every
    write made with a key checks again that it is still active (see submission_accept and
    service_request_create), so a revoked key is refused at once by every server process.
    """
    if not raw:
        return None
    digest = api_key_hash(raw)
    key = _keys.get(digest)
    if key is None:
        key = ApiKey.objects.filter(key_hash=digest, active=True).first()
        if key is not None:
            _keys.put(digest, key)
    return key


KEY_CACHE_S = 30.0


class _KeyCache:
    """Active keys by hash, each for KEY_CACHE_S seconds; shared by the threads of a process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[ApiKey, float]] = {}

    def get(self, digest: str) -> ApiKey | None:
        with self._lock:
            hit = self._keys.get(digest)
        if hit is None or time.monotonic() - hit[1] > KEY_CACHE_S:
            return None
        return hit[0]

    def put(self, digest: str, key: ApiKey) -> None:
        with self._lock:
            self._keys[digest] = (key, time.monotonic())

    def forget(self, digest: str | None = None) -> None:
        with self._lock:
            if digest is None:
                self._keys.clear()
            else:
                self._keys.pop(digest, None)


_keys = _KeyCache()


def api_key_cache_clear() -> None:
    _keys.forget()


process_cache_on_clear(api_key_cache_clear)


LAST_USED_PRECISION = timedelta(minutes=1)


def api_key_touch(*, key: ApiKey) -> None:
    """Note when the key was used, to the minute: not one more write per request of a busy client."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_PRECISION:
        return
    key.last_used_at = now
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def service_request_create(
    *, key: ApiKey, payload: dict[str, Any], uploads: Sequence[CleanUpload]
) -> Concern | None:
    """One concern through intake at once, with its uploaded media as attachments, all or nothing.

    None when the key was revoked meanwhile. Used for requests with media (the cleaned images are in
    memory and belong to the concern); the others go through the inbox (submission_accept).
    """
    with transaction.atomic():
        if not ApiKey.objects.filter(pk=key.pk, active=True).exists():
            return None
        concern = concern_submit(data=payload_concern_input(payload), by=None)
        for upload in uploads:
            # attachment_add is typed for a signed-in person; an API client has none (the field
            # uploaded_by is nullable and concern_log accepts None).
            attachment_add(concern=concern, upload=upload, by=None, expected_version=None)
    return concern


# ----------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class Accepted:
    reference: str
    received_at: datetime


def submission_accept(
    *, key: ApiKey, payload: dict[str, Any], received_at: datetime | None = None
) -> Accepted | None:
    """Store an accepted service request for the worker and reserve its reference; None for a revoked key.

    One statement on PostgreSQL (the key's state, the year's counter and the inbox row in one
    data-modifying CTE, committed at once), one short transaction on SQLite. The reference comes from
    the same counter as every concern's, so references stay gapless and in order of receipt.
    """
    moment = received_at or timezone.now()
    year = timezone.localtime(moment).year
    prefix = settings.KP_REFERENCE_PREFIX
    connection = connections[router.db_for_write(Submission)]
    if connection.vendor == "postgresql":
        return _accept_postgresql(connection, key, payload, moment, prefix, year)
    with transaction.atomic(using=connection.alias):
        if not ApiKey.objects.filter(pk=key.pk, active=True).exists():
            return None
        (reference,) = concern_reference_block(year=year, count=1)
        Submission.objects.create(
            reference=reference, api_key=key, received_at=moment, payload=payload
        )
    return Accepted(reference=reference, received_at=moment)


def _accept_postgresql(
    connection: BaseDatabaseWrapper,
    key: ApiKey,
    payload: dict[str, Any],
    moment: datetime,
    prefix: str,
    year: int,
) -> Accepted | None:
    quote = connection.ops.quote_name
    keys = quote(ApiKey._meta.db_table)
    inbox = quote(Submission._meta.db_table)
    number = quote("last_number")
    # identifiers come from the models' meta and are quoted; the values are parameters
    sql = (
        f"WITH k AS (SELECT 1 FROM {keys} WHERE id = %s AND active), "  # noqa: S608
        f"c AS ({reference_counter_upsert_sql(connection, source='k')}) "
        f"INSERT INTO {inbox} (reference, api_key_id, received_at, payload, attempts, last_error) "
        f"SELECT %s || lpad(c.{number}::text, greatest(6, length(c.{number}::text)), '0'), "
        f"%s, %s, %s::jsonb, 0, '' FROM c RETURNING reference"
    )
    params: list[int | str | datetime] = [
        key.pk,
        prefix,
        year,
        1,
        f"{prefix}-{year}-",
        key.pk,
        moment,
        json.dumps(payload),
    ]
    # One statement: atomic on its own, and no BEGIN/COMMIT round trips in autocommit.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return Accepted(reference=str(row[0]), received_at=moment) if row else None


INTAKE_BATCH = 200
INTAKE_MAX_ATTEMPTS = 10  # then the row waits for an administrator (admin: retry)


def submissions_intake(*, limit: int = INTAKE_BATCH) -> int:
    """Turn waiting inbox rows into concerns, oldest first; returns how many were taken in.

    Each row in its own transaction: a row that fails stays waiting with its error noted (and is
    tried again next time), the others go on. Two workers never take the same row (row locks with
    SKIP LOCKED on PostgreSQL; SQLite has one writer, and the unique reference guards anyway).
    """
    ids = list(
        Submission.objects.filter(processed_at__isnull=True, attempts__lt=INTAKE_MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        try:
            done += _submission_take_in(pk)
        except Exception as exc:  # one bad row must not stop the rest
            log.exception("Open311 submission %s could not be taken in", pk)
            Submission.objects.filter(pk=pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
    return done


def _submission_take_in(pk: int) -> int:
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, processed_at__isnull=True)
            .first()
        )
        if submission is None:
            return 0
        data = payload_concern_input(
            submission.payload, reported_at=submission.received_at, reference=submission.reference
        )
        concern = concern_submit(data=data, by=None)
        submission.concern = concern
        submission.processed_at = timezone.now()
        submission.payload = _without_contact(submission.payload)
        submission.save(update_fields=["concern", "processed_at", "payload"])
    return 1


def payload_concern_input(
    payload: dict[str, Any], *, reported_at: datetime | None = None, reference: str | None = None
) -> ConcernInput:
    """What intake needs, from the checked request (see open311.views._payload)."""
    contact = payload.get("reporter") or {}
    return ConcernInput(
        channel=Channel.OPEN311,
        description=str(payload.get("description", "")),
        category=Category.objects.filter(pk=int(payload["category_id"])).first(),
        lat=payload.get("lat"),
        lon=payload.get("long"),
        address=str(payload.get("address", "")),
        reporter=ReporterInput(
            name=str(contact.get("name", "")),
            email=str(contact.get("email", "")),
            phone=str(contact.get("phone", "")),
        ),
        reported_at=reported_at,
        extra={"open311": payload.get("open311", {})},
        reference=reference,
    )


def _without_contact(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload once the concern holds the contact: the reporter's data is not kept twice."""
    return {name: value for name, value in payload.items() if name != "reporter"}


def submissions_retry(*, ids: Sequence[int]) -> int:
    """Give rows that failed too often another round of attempts (the admin's action)."""
    return Submission.objects.filter(pk__in=ids, processed_at__isnull=True).update(
        attempts=0, last_error=""
    )
