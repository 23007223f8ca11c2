"""A small GeoReport v2 client for forwarding: POST a service request, GET requests by id.

Standard library only (urllib), JSON format, a timeout on every call. A 5xx answer, a timeout or a
refused connection raise `PeerUnavailableError` (the job is retried); a 4xx answer raises `PeerRefusedError`
(retrying would not help). Every POST carries an `Idempotency-Key` header (IETF httpapi draft): a
peer that honours it, such as Kontaktpunkt itself, answers a repeated POST with the first request's id.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

TIMEOUT_S = 10.0


class PeerUnavailableError(Exception):
    """The peer did not answer usefully now; try again later."""


class PeerRefusedError(Exception):
    """The peer refused the request (4xx); the message says why."""


@dataclass(frozen=True)
class PeerRequest:
    service_request_id: str
    status: str
    status_notes: str
    updated_at: datetime | None


def post_request(
    *, endpoint: str, fields: Mapping[str, str], idempotency_key: str, timeout: float = TIMEOUT_S
) -> str:
    """POST requests.json; the service_request_id the peer gave (a token is not accepted here)."""
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(  # noqa: S310 - the endpoint is an administrator's https/http URL
        _url(endpoint, "requests.json"),
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Idempotency-Key": idempotency_key,
        },
    )
    answer = _call(request, timeout)
    items = answer if isinstance(answer, list) else []
    first = items[0] if items and isinstance(items[0], dict) else {}
    identifier = str(first.get("service_request_id") or "")
    if not identifier:
        raise PeerUnavailableError(f"no service_request_id in the answer: {str(answer)[:300]}")
    return identifier


def get_requests(
    *, endpoint: str, ids: list[str], jurisdiction_id: str = "", timeout: float = TIMEOUT_S
) -> dict[str, PeerRequest]:
    """GET requests.json?service_request_id=…: what the peer knows of these requests, by id."""
    query = {"service_request_id": ",".join(ids)}
    if jurisdiction_id:
        query["jurisdiction_id"] = jurisdiction_id
    url = _url(endpoint, "requests.json") + "?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    answer = _call(request, timeout)
    found: dict[str, PeerRequest] = {}
    for item in answer if isinstance(answer, list) else []:
        if isinstance(item, dict) and item.get("service_request_id"):
            identifier = str(item["service_request_id"])
            found[identifier] = PeerRequest(
                service_request_id=identifier,
                status=str(item.get("status") or ""),
                status_notes=str(item.get("status_notes") or ""),
                updated_at=parse_datetime(str(item.get("updated_datetime") or "")),
            )
    return found


def _url(endpoint: str, path: str) -> str:
    return endpoint.rstrip("/") + "/" + path


def _call(request: urllib.request.Request, timeout: float) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", "replace")
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise PeerRefusedError(f"HTTP {exc.code}: {detail}") from exc
        raise PeerUnavailableError(f"HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as exc:
        raise PeerUnavailableError(f"{type(exc).__name__}: {exc}") from exc
