"""Shared by the Open311 tests: schema validation, XML ↔ JSON comparison, golden files."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kontaktpunkt.open311.serializers import ITEM_NAMES

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
GOLDEN = Path(__file__).resolve().parent / "golden"
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Errors are not covered by the copied schemas; their shape is the spec's.
ERRORS_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}


@cache
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT7))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


def assert_valid(name: str, data: Any) -> None:
    """`data` validates against the copied schema `name` (e.g. "services.json") or the errors shape."""
    schema = ERRORS_SCHEMA if name == "errors" else json.loads((SCHEMAS / name).read_text())
    validator = Draft7Validator(schema, registry=_registry(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(error.message for error in errors)
    for value in _leaves(data, "datetime"):
        assert value is None or W3C.match(value), f"not a W3C date-time with offset: {value}"


def _leaves(data: Any, suffix: str) -> list[Any]:
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith(suffix) or key == "changeset":
                found.append(value)
            else:
                found.extend(_leaves(value, suffix))
    elif isinstance(data, list):
        for value in data:
            found.extend(_leaves(value, suffix))
    return found


def xml_plain(element: ET.Element) -> Any:
    """The content of an XML response as plain data: lists for list elements, text for leaves."""
    children = list(element)
    if element.tag in ITEM_NAMES:
        assert all(child.tag == ITEM_NAMES[element.tag] for child in children)
        return [xml_plain(child) for child in children]
    if children:
        return {child.tag: xml_plain(child) for child in children}
    return element.text or ""


def json_plain(data: Any) -> Any:
    """JSON data in the same plain form (None → "", booleans as true/false, numbers as text)."""
    if isinstance(data, dict):
        return {key: json_plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [json_plain(value) for value in data]
    if data is None:
        return ""
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


def parse_xml(content: bytes) -> ET.Element:
    assert content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(content)  # noqa: S314 - our own response


def assert_same_content(json_content: bytes, xml_content: bytes, root: str) -> None:
    element = parse_xml(xml_content)
    assert element.tag == root
    assert xml_plain(element) == json_plain(json.loads(json_content))


def without_new_references(content: bytes) -> bytes:
    """References handed out during the test (year and counter vary) and the seconds until a rate
    limit ends made comparable."""
    content = re.sub(rb"KP-\d{4}-\d{6}", b"KP-YYYY-NNNNNN", content)
    return re.sub(rb"in \d+ Sekunden", b"in N Sekunden", content)


def assert_golden(name: str, content: bytes) -> None:
    """The response equals the golden file; KP_UPDATE_GOLDEN=1 writes the file instead."""
    text = content.decode()
    path = GOLDEN / name
    if os.environ.get("KP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        if name.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if name.endswith(".json"):
        assert json.loads(text) == json.loads(expected)
    else:
        assert text == expected
