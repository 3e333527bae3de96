"""The OpenAPI 3 document, generated from the routes and the marshmallow contracts they name."""

from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.portal_gateway.entrypoints.api.framework import PREFIX, ROUTES, Call, route

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
ERRORS = {
    "400": "Not JSON",
    "401": "Not logged in, or the token expired",
    "403": "Your role or site does not allow it",
    "404": "No such resource",
    "409": "A stale expected version, or a step the lifecycle forbids now",
    "422": "The input does not match the contract, or a rule said no (details name the fields)",
}


@cache
def document() -> dict:
    spec = APISpec(
        title="Kentra API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={
            "description": "The staff API of the Peloponnese Community Centres network (Κέντρα "
            "Κοινότητας): beneficiaries, cases, referrals, registries, reports."
        },
        servers=[{"url": PREFIX}],
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.security_scheme(
        "apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    )
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}, "code": {"type": "string"}, "details": {}},
        },
    )
    for index, r in enumerate(ROUTES):
        spec.path(
            path=PARAM.sub(r"{\2}", r.path), operations={r.method.lower(): _operation(index, r)}
        )
    return spec.to_dict()


def _operation(index: int, r) -> dict:
    params = PARAM.findall(r.path)
    operation = {
        "summary": r.summary,
        "tags": [r.tag] if r.tag else [],
        "operationId": f"{r.handler.__name__}_{index}",
        "parameters": [_path_parameter(kind, name) for kind, name in params]
        + [_query_parameter(q, d) for q, d in r.query.items()],
        "responses": {
            "200": _json("Done", {"type": "object"}),
            **{
                code: _json(text, {"$ref": "#/components/schemas/Error"})
                for code, text in ERRORS.items()
            },
        },
    }
    if r.auth != "none":
        operation["security"] = [{"bearer": []}] if r.auth == "token" else [{"apiKey": []}]
    if r.body is not None:  # what the path and the gateway fill in is not asked of the client
        hidden = [
            f for f in (*(name for _, name in params), *r.fills) if f in r.body._declared_fields
        ]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": r.body(exclude=hidden)}},
        }
    return operation


def _path_parameter(kind: str, name: str) -> dict:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "schema": {"type": "string", **({"format": "uuid"} if kind == "uuid" else {})},
    }


def _query_parameter(name: str, description: str) -> dict:
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    excluded = getattr(schema, "exclude", None)
    return f"{name}_{'_'.join(sorted(excluded))}" if excluded else name


@route("GET", "/openapi.json", "This document", auth="none", tag="meta")
def openapi(call: Call):
    return document()
