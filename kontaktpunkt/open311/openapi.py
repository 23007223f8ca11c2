"""The OpenAPI 3.1 document of the GeoReport v2 server, served at georeport/v2/openapi.json.

Response shapes are the JSON Schemas of open311/schema-validation (schemas/), embedded as they are; a
test checks that every URL pattern of the app is described here and that responses validate.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent / "schemas"
FORMATS = ("json", "xml")
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}

_JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": "Optional; when given it must be the jurisdiction this server serves.",
    "schema": {"type": "string"},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _copied(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return schema


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """The spec: an empty parameter is treated exactly like an absent one."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": _or_empty(schema),
    }


def _path_param(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
    }


def _content(fmt: str, schema: str) -> dict[str, Any]:
    if fmt == "json":
        return {MEDIA_TYPES[fmt]: {"schema": _ref(schema)}}
    return {MEDIA_TYPES[fmt]: {"schema": {"type": "string"}}}


def _responses(fmt: str, ok: str, errors: tuple[int, ...]) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", "content": _content(fmt, ok)}}
    texts = {
        400: "Invalid parameters",
        403: "Missing, invalid or revoked api_key",
        404: "Unknown resource or jurisdiction",
        429: "Rate limit of the api_key exceeded",
    }
    for status in errors:
        responses[str(status)] = {"description": texts[status], "content": _content(fmt, "Errors")}
    return responses


def _date(description: str) -> dict[str, Any]:
    return _query(
        name="", schema={"type": "string", "format": "date-time"}, description=description
    )


_LIST_PARAMETERS: list[dict[str, Any]] = [
    _query(
        "service_request_id", {"type": "string"}, "Comma-separated; overrides all other filters."
    ),
    _query("service_code", {"type": "string"}, "Comma-separated list of service codes."),
    {
        **_date("requested_datetime from (W3C); at most 90 days before end_date"),
        "name": "start_date",
    },
    {**_date("requested_datetime until (W3C); default now"), "name": "end_date"},
    _query("status", {"type": "string", "enum": ["open", "closed", "open,closed"]}),
    {**_date("updated_datetime after (extension)"), "name": "updated_after"},
    {**_date("updated_datetime before (extension)"), "name": "updated_before"},
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "Extension: page number."),
    _query(
        "page_size", {"type": "integer", "minimum": 1, "maximum": 1000}, "Extension: page size."
    ),
    _query(
        "extensions", {"type": "string", "enum": ["true", "false"]}, "Adds extended_attributes."
    ),
]

_POST_FIELDS: dict[str, Any] = {
    "api_key": {"type": "string"},
    "jurisdiction_id": {"type": "string"},
    "service_code": {"type": "string"},
    "lat": _or_empty({"type": "number", "minimum": -90, "maximum": 90}),
    "long": _or_empty({"type": "number", "minimum": -180, "maximum": 180}),
    "address_string": {"type": "string"},
    "address_id": {"type": "string"},
    "email": {"type": "string"},
    "device_id": {"type": "string"},
    "account_id": {"type": "string"},
    "first_name": {"type": "string"},
    "last_name": {"type": "string"},
    "phone": {"type": "string"},
    "description": {"type": "string", "maxLength": 4000},
    "media_url": {"type": "string"},
}


def _post(fmt: str) -> dict[str, Any]:
    form = {"type": "object", "required": ["api_key", "service_code"], "properties": _POST_FIELDS}
    multipart = {
        "type": "object",
        "required": ["api_key", "service_code"],
        "properties": {**_POST_FIELDS, "media": {"type": "string", "format": "binary"}},
    }
    return {
        "operationId": f"create_request_{fmt}",
        "summary": "Create a service request (answers to attributes as attribute[code]=value)",
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": form},
                "multipart/form-data": {"schema": multipart},
            },
        },
        "responses": _responses(fmt, "Created", (400, 403, 404, 429)),
    }


def _paths(fmt: str) -> dict[str, Any]:
    return {
        f"/discovery.{fmt}": {
            "get": {
                "operationId": f"discovery_{fmt}",
                "parameters": [_JURISDICTION],
                "responses": _responses(fmt, "Discovery", (404,)),
            }
        },
        f"/services.{fmt}": {
            "get": {
                "operationId": f"services_{fmt}",
                "parameters": [_JURISDICTION],
                "responses": _responses(fmt, "Services", (404,)),
            }
        },
        f"/services/{{service_code}}.{fmt}": {
            "get": {
                "operationId": f"service_definition_{fmt}",
                "parameters": [_path_param("service_code"), _JURISDICTION],
                "responses": _responses(fmt, "ServiceDefinition", (404,)),
            }
        },
        f"/requests.{fmt}": {
            "get": {
                "operationId": f"requests_{fmt}",
                "parameters": [_JURISDICTION, *_LIST_PARAMETERS],
                "responses": _responses(fmt, "Requests", (400, 404)),
            },
            "post": _post(fmt),
        },
        f"/requests/{{service_request_id}}.{fmt}": {
            "get": {
                "operationId": f"request_{fmt}",
                "parameters": [
                    _path_param("service_request_id"),
                    _JURISDICTION,
                    _query("extensions", {"type": "string", "enum": ["true", "false"]}),
                ],
                "responses": _responses(fmt, "Requests", (404,)),
            }
        },
    }


def _components() -> dict[str, Any]:
    request = _copied("request.json")
    return {
        "schemas": {
            "Service": _copied("service.json"),
            "Services": {"type": "array", "items": _ref("Service")},
            "ServiceDefinition": _copied("service-definition.json"),
            "Request": request,
            "Requests": {"type": "array", "items": _ref("Request")},
            "Created": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["service_request_id"],
                    "properties": {
                        "service_request_id": {"type": "string"},
                        "service_notice": {"type": ["string", "null"]},
                        "account_id": {"type": ["string", "null"]},
                    },
                },
            },
            "Discovery": {
                "type": "object",
                "required": ["changeset", "contact", "key_service", "endpoints"],
                "properties": {
                    "changeset": {"type": "string", "format": "date-time"},
                    "contact": {"type": "string", "minLength": 1},
                    "key_service": {"type": "string", "minLength": 1},
                    "endpoints": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["specification", "url", "changeset", "type", "formats"],
                            "properties": {
                                "specification": {"type": "string"},
                                "url": {"type": "string"},
                                "changeset": {"type": "string", "format": "date-time"},
                                "type": {"enum": ["production", "test"]},
                                "formats": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            "Errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["code", "description"],
                    "properties": {
                        "code": {"type": "integer"},
                        "description": {"type": "string"},
                    },
                },
            },
        }
    }


@cache
def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "responses": {
                    "200": {"description": "This document", "content": {"application/json": {}}}
                },
            }
        }
    }
    for fmt in FORMATS:
        paths.update(_paths(fmt))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kontaktpunkt Open311 GeoReport v2",
            "version": "2.0",
            "description": "GeoReport v2 with the v2.1 media upload and the common extensions "
            "(page/page_size, updated_after/updated_before, extensions=true).",
        },
        "servers": [{"url": "/georeport/v2"}],
        "paths": paths,
        "components": _components(),
    }
