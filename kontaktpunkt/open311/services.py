"""Writes of the Open311 adapter: API keys, and a service request handed to intake."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet
from django.utils import timezone

from kontaktpunkt.accounts.models import User
from kontaktpunkt.cases.attachments import CleanUpload
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.core.db import fetch_one_prepared
from kontaktpunkt.core.process_cache import process_cache_on_clear
from kontaktpunkt.core.ratelimit import (
    RateLimitResult,
    rate_limit_hit,
    rate_limit_result,
    rate_limit_upsert_sql,
    rate_limit_window_start,
)
from kontaktpunkt.intake.models import Category, Channel, Concern
from kontaktpunkt.intake.proposals import inputs_classify
from kontaktpunkt.intake.services import (
    ConcernInput,
    ReporterInput,
    concern_reference_block,
    concern_submit,
    concerns_submit,
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
        (data,) = inputs_classify(inputs=[payload_concern_input(payload)])
        concern = concern_submit(data=data, by=None)
        for upload in uploads:
            # attachment_add is typed for a signed-in person; an API client has none (the field
            # uploaded_by is nullable and concern_log accepts None).
            attachment_add(concern=concern, upload=upload, by=None, expected_version=None)
    return concern


# ----------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class RateLimit:
    bucket: str
    limit: int
    window_s: int


@dataclass(frozen=True)
class AcceptOutcome:
    """The reference of the stored request, or None: over the rate limit, or the key was revoked."""

    reference: str | None
    rate: RateLimitResult


def submission_accept(
    *,
    key: ApiKey,
    payload: dict[str, Any],
    rate: RateLimit,
    idempotency_key: str = "",
    received_at: datetime | None = None,
) -> AcceptOutcome:
    """Count the key's use, and within its limit store the checked request for the worker under a
    reserved reference.

    One statement on PostgreSQL (the rate-limit window, the key's state, the year's counter and the
    inbox row in one data-modifying CTE, committed at once), one short transaction on SQLite. The
    reference comes from the same counter as every concern's, so references stay gapless and in order
    of receipt; a refused request reserves none. A repeated `idempotency_key` of the same client
    answers with the first request's reference and stores nothing.
    """
    if idempotency_key:
        earlier = submission_by_idempotency_key(key=key, idempotency_key=idempotency_key)
        if earlier is not None:
            return earlier
    moment = received_at or timezone.now()
    window = rate_limit_window_start(now=moment, window_s=rate.window_s)
    connection = connections[router.db_for_write(Submission)]
    try:
        if connection.vendor == "postgresql":
            count, reference = _accept_postgresql(
                connection, key, payload, rate, window, moment, idempotency_key
            )
        else:
            count, reference = _accept_portable(key, payload, rate, window, moment, idempotency_key)
    except IntegrityError:
        # The same idempotency key arrived twice at once; the other request stored it.
        earlier = submission_by_idempotency_key(key=key, idempotency_key=idempotency_key)
        if not idempotency_key or earlier is None:
            raise
        return earlier
    result = rate_limit_result(
        count=count, limit=rate.limit, start=window, window_s=rate.window_s, now=moment
    )
    return AcceptOutcome(reference=reference, rate=result)


def submission_by_idempotency_key(*, key: ApiKey, idempotency_key: str) -> AcceptOutcome | None:
    """The earlier outcome of a request with this client's idempotency key, or None."""
    reference = (
        Submission.objects.filter(api_key=key, idempotency_key=idempotency_key)
        .values_list("reference", flat=True)
        .first()
    )
    if reference is None:
        return None
    now = timezone.now()
    allowed = rate_limit_result(count=0, limit=0, start=now, window_s=1, now=now)
    return AcceptOutcome(reference=reference, rate=allowed)


def _accept_portable(
    key: ApiKey,
    payload: dict[str, Any],
    rate: RateLimit,
    window: datetime,
    moment: datetime,
    idempotency_key: str,
) -> tuple[int, str | None]:
    with transaction.atomic():
        count = rate_limit_hit(
            bucket=rate.bucket, limit=rate.limit, window_s=rate.window_s, now=moment
        ).count
        if count > rate.limit or not ApiKey.objects.filter(pk=key.pk, active=True).exists():
            return count, None
        (reference,) = concern_reference_block(year=timezone.localtime(moment).year, count=1)
        Submission.objects.create(
            reference=reference,
            api_key=key,
            received_at=moment,
            payload=payload,
            idempotency_key=idempotency_key,
        )
    return count, reference


def _accept_postgresql(
    connection: BaseDatabaseWrapper,
    key: ApiKey,
    payload: dict[str, Any],
    rate: RateLimit,
    window: datetime,
    moment: datetime,
    idempotency_key: str,
) -> tuple[int, str | None]:
    quote = connection.ops.quote_name
    keys = quote(ApiKey._meta.db_table)
    inbox = quote(Submission._meta.db_table)
    number, count = quote("last_number"), quote("count")
    prefix = settings.KP_REFERENCE_PREFIX
    year = timezone.localtime(moment).year
    # identifiers come from the models' meta and are quoted; the values are parameters
    sql = (
        f"WITH rl AS ({rate_limit_upsert_sql(connection)}), "  # noqa: S608
        f"k AS (SELECT 1 FROM {keys}, rl WHERE {keys}.id = %s AND {keys}.active "
        f"AND rl.{count} <= %s), "
        f"c AS ({reference_counter_upsert_sql(connection, source='k')}), "
        f"ins AS (INSERT INTO {inbox} "
        f"(reference, api_key_id, received_at, idempotency_key, payload, attempts, last_error) "
        f"SELECT %s || lpad(c.{number}::text, greatest(6, length(c.{number}::text)), '0'), "
        f"%s, %s, %s, %s::jsonb, 0, '' FROM c RETURNING reference) "
        f"SELECT rl.{count}, (SELECT reference FROM ins) FROM rl"
    )
    params: list[int | str | datetime] = [
        rate.bucket, window, key.pk, rate.limit, prefix, year, 1,
        f"{prefix}-{year}-", key.pk, moment, idempotency_key, json.dumps(payload),
    ]  # fmt: skip
    # One statement: atomic on its own, no BEGIN/COMMIT round trips in autocommit, planned once.
    row = fetch_one_prepared(connection, sql, params)
    if row is None:
        raise RuntimeError("the accepting statement returned no row")
    return int(row[0]), (str(row[1]) if row[1] is not None else None)


INTAKE_BATCH = 200
INTAKE_MAX_ATTEMPTS = 10  # then the row waits for an administrator (admin: retry)


def submissions_intake(*, limit: int = INTAKE_BATCH) -> int:
    """Turn waiting inbox rows into concerns, oldest first, as one batch; returns how many.

    The batch is one transaction with one insert per table (concerns_submit). Should it fail, the
    rows are taken in one by one instead: a row that fails stays waiting with its error noted (tried
    again next time, at most INTAKE_MAX_ATTEMPTS times), the others go on. Two workers never take the
    same row (row locks with SKIP LOCKED on PostgreSQL; SQLite has one writer, and the unique
    reference guards anyway).
    """
    try:
        with transaction.atomic():
            rows = list(_waiting().select_for_update(skip_locked=True).order_by("id")[:limit])
            if not rows:
                return 0
            _take_in(rows)
            return len(rows)
    except Exception:  # the batch is rolled back; find the row that fails
        log.warning("Open311 intake batch failed; taking the rows in one by one", exc_info=True)
    ids = list(_waiting().order_by("id").values_list("id", flat=True)[:limit])
    done = 0
    for pk in ids:
        try:
            with transaction.atomic():
                rows = list(_waiting().select_for_update(skip_locked=True).filter(pk=pk))
                _take_in(rows)
                done += len(rows)
        except Exception as exc:  # one bad row must not stop the rest
            log.exception("Open311 submission %s could not be taken in", pk)
            Submission.objects.filter(pk=pk).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
    return done


def _waiting() -> QuerySet[Submission]:
    return Submission.objects.filter(processed_at__isnull=True, attempts__lt=INTAKE_MAX_ATTEMPTS)


def _take_in(rows: list[Submission]) -> None:
    """Make the rows concerns under their references and mark them taken in (caller's transaction)."""
    if not rows:
        return
    ids = {int(row.payload["category_id"]) for row in rows}
    categories = Category.objects.select_related("default_unit").in_bulk(ids)
    inputs = [
        payload_concern_input(
            row.payload,
            reported_at=row.received_at,
            reference=row.reference,
            categories=categories,
        )
        for row in rows
    ]
    # The urgency from the text, for the whole batch with the process's one model (not in the POST).
    concerns = concerns_submit(inputs=inputs_classify(inputs=inputs), by=None)
    now = timezone.now()
    for row, concern in zip(rows, concerns, strict=True):
        row.concern = concern
        row.processed_at = now
        row.payload = _without_contact(row.payload)
    Submission.objects.bulk_update(rows, ["concern", "processed_at", "payload"])


def payload_concern_input(
    payload: dict[str, Any],
    *,
    reported_at: datetime | None = None,
    reference: str | None = None,
    categories: Mapping[int, Category] | None = None,
) -> ConcernInput:
    """What intake needs, from the checked request (see open311.views._payload)."""
    contact = payload.get("reporter") or {}
    category_id = int(payload["category_id"])
    category = (
        categories.get(category_id)
        if categories is not None
        else Category.objects.filter(pk=category_id).first()
    )
    return ConcernInput(
        channel=Channel.OPEN311,
        description=str(payload.get("description", "")),
        category=category,
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
