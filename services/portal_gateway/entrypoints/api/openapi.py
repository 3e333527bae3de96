"""The OpenAPI 3.1 document, generated from the routes and the marshmallow contracts they name,
through the one marshmallow -> JSON Schema converter the published contracts use
(contracts/jsonschema.py): OpenAPI 3.1's schemas are JSON Schema 2020-12."""

from __future__ import annotations

import re
from functools import cache

from contracts.jsonschema import field_schema, object_schema
from services.portal_gateway.entrypoints.api.framework import PREFIX, Call, Route, Routes

api = Routes()

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
ERRORS = {
    "400": "Not JSON",
    "401": "Not logged in, or the token expired",
    "403": "Your role or site does not allow it",
    "404": "No such resource",
    "405": "This method is not allowed on this path",
    "409": "A stale expected version, or a step the lifecycle forbids now",
    "422": "The input does not match the contract, or a rule said no (details name the fields)",
}
THROTTLED = (
    "Too many failed passwords for this account or from this client within a minute: wait the"
    " seconds Retry-After says (the right password too is refused until then)"
)
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "code": {"type": "string"}, "details": {}},
}


@cache
def document() -> dict:
    from services.portal_gateway.entrypoints.api import ROUTES  # the table this module is part of

    schemas: dict[str, dict] = {"Error": ERROR}
    paths: dict[str, dict] = {}
    for index, r in enumerate(ROUTES):
        paths.setdefault(PARAM.sub(r"{\2}", r.path), {})[r.method.lower()] = _operation(
            index, r, schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kentra API",
            "version": "1.0.0",
            "description": "The staff API of the Peloponnese Community Centres network (Κέντρα "
            "Κοινότητας): beneficiaries, cases, referrals, registries, reports.",
        },
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
    }


def _operation(index: int, r: Route, schemas: dict[str, dict]) -> dict:
    params = PARAM.findall(r.path)
    operation: dict = {
        "summary": r.summary,
        "tags": [r.tag] if r.tag else [],
        "operationId": f"{r.handler.__name__}_{index}",
        "parameters": [_path_parameter(kind, name) for kind, name in params]
        + (_query_parameters(r) if r.query is not None else []),
        "responses": {
            "200": _json("Done", {"type": "object"}),
            **{
                code: _json(text, {"$ref": "#/components/schemas/Error"})
                for code, text in ERRORS.items()
            },
        },
    }
    if r.throttled:
        operation["responses"]["429"] = {
            **_json(THROTTLED, {"$ref": "#/components/schemas/Error"}),
            "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
        }
    if r.auth != "none":
        operation["security"] = [{"bearer": []}] if r.auth == "token" else [{"apiKey": []}]
    if r.body is not None:  # what the path and the gateway fill in is not asked of the client
        hidden = {
            f for f in (*(name for _, name in params), *r.fills) if f in r.body._declared_fields
        }
        name = r.body.__name__.removesuffix("Schema") + "".join(f"_{f}" for f in sorted(hidden))
        schema = object_schema(r.body)
        schema["properties"] = {k: v for k, v in schema["properties"].items() if k not in hidden}
        schema["required"] = [k for k in schema["required"] if k not in hidden]
        schemas[name] = schema
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    return operation


def _path_parameter(kind: str, name: str) -> dict:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "schema": {"type": "string", **({"format": "uuid"} if kind == "uuid" else {})},
    }


def _query_parameters(r: Route) -> list[dict]:
    found = []
    for name, f in r.query._declared_fields.items():  # type: ignore[union-attr]
        schema = field_schema(f)
        description = schema.pop("description", None)
        found.append(
            {"in": "query", "name": name, "required": f.required, "schema": schema}
            | ({"description": description} if description else {})
        )
    return found


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@api.route("GET", "/openapi.json", "This document", auth="none", tag="meta")
def openapi(call: Call):
    return document()
