"""Pure functions: rows (plain dataclasses) → one dict/list representation → JSON or XML text.

JSON follows the spec's "Spark convention": the root element is dropped and repeated children become
arrays. XML is built from the very same representation, so both formats carry the same content.
Nothing here touches the database.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

# The element name of each item of a list, by the name of the list.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Characters XML 1.0 cannot carry at all; they are left out of the XML text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class AttributeRow:
    code: str
    datatype: str
    required: bool
    question: str
    help_text: str
    order: int
    values: list[tuple[str, str]]


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name: str
    description: str
    keywords: str
    group: str
    attributes: list[AttributeRow] = field(default_factory=list)


@dataclass(frozen=True)
class NoteRow:
    at: datetime
    type: str  # submitted, opened, activity, closed
    summary: str
    description: str = ""


@dataclass(frozen=True)
class RequestRow:
    reference: str
    is_open: bool
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str | None
    agency: str | None
    requested_at: datetime
    updated_at: datetime | None
    expected_at: datetime | None
    address: str
    lat: float | None
    lon: float | None
    channel: str
    notes: list[NoteRow] = field(default_factory=list)
    media_url: str | None = None


def w3c(moment: datetime | None) -> str | None:
    """W3C-DTF with the local offset, e.g. 2026-03-02T09:15:00+01:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def discovery_data(
    *, changeset: datetime, contact: str, key_service: str, url: str, kind: str
) -> dict[str, Any]:
    return {
        "changeset": w3c(changeset),
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": w3c(changeset),
                "type": kind,
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_data(row: ServiceRow) -> dict[str, Any]:
    return {
        "service_code": row.code,
        "service_name": row.name,
        "description": row.description or None,
        "metadata": bool(row.attributes),
        "type": "realtime",
        "keywords": row.keywords or None,
        "group": row.group or None,
    }


def definition_data(row: ServiceRow) -> dict[str, Any]:
    ordered = sorted(row.attributes, key=lambda a: (a.order, a.code))
    return {
        "service_code": row.code,
        "attributes": [_attribute(a, position) for position, a in enumerate(ordered, start=1)],
    }


def _attribute(row: AttributeRow, position: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "variable": True,
        "code": row.code,
        "datatype": row.datatype,
        "required": row.required,
        "datatype_description": row.help_text or None,
        "order": position,
        "description": row.question,
    }
    if row.datatype in {"singlevaluelist", "multivaluelist"}:
        data["values"] = [{"key": key, "name": name} for key, name in row.values]
    return data


def request_data(row: RequestRow, *, extensions: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service_request_id": row.reference,
        "status": "open" if row.is_open else "closed",
        "status_notes": row.status_notes,
        "service_name": row.service_name,
        "service_code": row.service_code,
        "description": row.description[:4000] if row.description else None,
        "agency_responsible": row.agency,
        "service_notice": None,
        "requested_datetime": w3c(row.requested_at),
        "updated_datetime": w3c(row.updated_at),
        "expected_datetime": w3c(row.expected_at),
        "address": row.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coordinate(row.lat),
        "long": _coordinate(row.lon),
        "media_url": row.media_url,
    }
    if extensions:
        data["extended_attributes"] = {
            "channel": row.channel,
            "notes": [_note(note) for note in row.notes],
        }
    return data


def _coordinate(value: float | None) -> float | None:
    return round(value, 7) if value is not None and math.isfinite(value) else None


def _note(row: NoteRow) -> dict[str, Any]:
    return {
        "datetime": w3c(row.at),
        "summary": row.summary,
        "description": row.description or None,
        "type": row.type,
    }


def created_data(*, reference: str, notice: str) -> list[dict[str, Any]]:
    return [{"service_request_id": reference, "service_notice": notice, "account_id": None}]


def errors_data(errors: list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [{"code": code, "description": description} for code, description in errors]


def render(fmt: str, root: str, data: Any) -> str:
    """The text of a response: JSON (root dropped) or XML (under the element `root`)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False)
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def _fill(element: ET.Element, data: Any) -> None:
    if isinstance(data, dict):
        for name, value in data.items():
            _fill(ET.SubElement(element, name), value)
    elif isinstance(data, list):
        item_name = ITEM_NAMES[element.tag]
        for value in data:
            _fill(ET.SubElement(element, item_name), value)
    elif data is None:
        return
    elif isinstance(data, bool):
        element.text = "true" if data else "false"
    else:
        element.text = _NOT_XML.sub("", str(data))
