"""The OpenAPI 3.1 document, generated from the routes and the marshmallow contracts they name,
through the one marshmallow -> JSON Schema converter the published contracts use
(contracts/jsonschema.py): OpenAPI 3.1's schemas are JSON Schema 2020-12."""

from __future__ import annotations

import re
from functools import cache

from marshmallow import Schema

from contracts import api as api_contract
from contracts.jsonschema import field_schema, object_schema
from services.portal_gateway.entrypoints.api.framework import PREFIX, Call, Route, Routes

api = Routes()

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# what each refusal means, whichever route answers it; a route lists only those it can answer
REFUSALS = {
    400: "The body is not JSON, or nests deeper than any contract (code not_json, too_deep)",
    401: "No token, or one that expired or whose session ended; a wrong password (unauthenticated)",
    403: "Your role or site does not allow it (forbidden)",
    404: "No such resource, or one you may not know of: the same answer (not_found)",
    409: "A stale expected_version (details: the stream and its current version), a command id"
    " reused for another command, or a step the lifecycle forbids now (conflict)",
    410: "The person was erased (erased)",
    413: "The body is larger than the route takes (too_large)",
    422: "The input does not match its contract (invalid: details name each field), or a rule said"
    " no (rule_violated)",
    429: "Too many failed passwords for this account or from this client within a minute: wait the"
    " seconds Retry-After says (the right password too is refused until then; throttled)",
    503: "A dependency is away (details.dependency: database, broker or a service): wait the"
    " seconds Retry-After says and send it again (unavailable). A command's answer says whether"
    " it was stored: false (nothing was stored), or null with code outcome_unknown (it may have"
    " been: send it again with the same command_id, which stores it once)",
}
ERROR = {"$ref": "#/components/schemas/Error"}


@cache
def document() -> dict:
    from services.portal_gateway.entrypoints.api import ROUTES  # the table this module is part of

    schemas: dict[str, dict] = {"Error": answer_schema(api_contract.Error)}
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
            str(r.success): _success(r, schemas),
            **{str(status): _refusal(status) for status in statuses(r)},
        },
    }
    if r.description:
        operation["description"] = r.description
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
        _define(schemas, name, schema)
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    return operation


def statuses(r: Route) -> list[int]:
    """The refusals a route can answer, from what it does: a body can be no JSON, too large or
    against its contract; a command can meet a stale version or a missing or erased thing; a path
    names something that may not exist; a route for some roles refuses the others."""
    command = r.command
    about_a_person = "beneficiary_id" in r.path or (
        command and "beneficiary_id" in r.body._declared_fields  # type: ignore[union-attr]
    )
    found = set(r.refuses)
    found |= {400, 413, 422} if r.body is not None else set()
    found |= {422} if r.query is not None else set()
    found |= {401} if r.auth != "none" or r.throttled else set()
    found |= {403} if r.allow is not None else set()
    found |= {404} if PARAM.search(r.path) or command else set()
    found |= {409} if command else set()
    found |= {410} if command and about_a_person else set()
    found |= {429} if r.throttled else set()
    found |= set() if r.standalone else {503}
    return sorted(found)


def _success(r: Route, schemas: dict[str, dict]) -> dict:
    if r.answers is None:
        raise ValueError(f"{r.method} {r.path} names no answer (answers=...)")
    name = r.answers.__name__
    _define(schemas, name, answer_schema(r.answers))
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
    for sent in r.files:  # (the charset a CSV is sent with is a parameter, not its type)
        media_type = sent.split(";")[0].strip()
        content[media_type] = {"schema": {"type": "string", "contentMediaType": media_type}}
    found: dict = {"description": "Created" if r.created else "Done", "content": content}
    if r.files:
        found["headers"] = {
            "Content-Disposition": {
                "description": "a file: attachment; filename=...",
                "schema": {"type": "string"},
            }
        }
    return found


def _refusal(status: int) -> dict:
    found = _json(REFUSALS[status], ERROR)
    if status in (429, 503):
        found["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    return found


def _define(schemas: dict[str, dict], name: str, schema: dict) -> None:
    if schemas.setdefault(name, schema) != schema:  # two contracts of one name: one would be lost
        raise ValueError(f"two schemas are named {name} in the OpenAPI document")


def answer_schema(schema: type[Schema]) -> dict:
    """An answer as JSON Schema: its fields, none forbidden besides them (an answer may gain a
    field; a client ignores what it does not know)."""
    return _open(object_schema(schema))


def _open(schema):
    if isinstance(schema, dict):
        return {k: _open(v) for k, v in schema.items() if (k, v) != ("additionalProperties", False)}
    if isinstance(schema, list):
        return [_open(v) for v in schema]
    return schema


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


@api.route(
    "GET",
    "/openapi.json",
    "This document",
    auth="none",
    tag="meta",
    answers=api_contract.OpenApiDocument,
    standalone=True,
)
def openapi(call: Call):
    return document()
