"""marshmallow schemas as JSON Schema (draft 2020-12): the form municipal systems validate against."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from contracts.base import personal_fields

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://kentra.example/contracts"

_TYPES = [
    (fields.UUID, {"type": "string", "format": "uuid"}),
    (fields.DateTime, {"type": "string", "format": "date-time"}),
    (fields.Date, {"type": "string", "format": "date"}),
    (fields.Boolean, {"type": "boolean"}),
    (fields.Integer, {"type": "integer"}),
    (fields.Number, {"type": "number"}),
    (fields.String, {"type": "string"}),
]


def field_schema(field: fields.Field) -> dict:
    if "json_schema" in field.metadata:  # what marshmallow cannot say: a choice of shapes, say
        return dict(field.metadata["json_schema"])
    if isinstance(field, fields.Nested):
        out = object_schema(field.nested if isinstance(field.nested, type) else type(field.nested))
    elif isinstance(field, fields.List):
        out = {"type": "array", "items": field_schema(field.inner)}
    elif isinstance(field, fields.Dict):
        out = {"type": "object"}
    elif isinstance(field, fields.Decimal) and field.as_string:  # an amount travels as a string
        out = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    else:
        out = next((dict(t) for cls, t in _TYPES if isinstance(field, cls)), {})
    for v in field.validators:
        out.update(_validator(v))
    if field.allow_none and "type" in out:
        out["type"] = [out["type"], "null"]
    if field.metadata.get("description"):
        out["description"] = field.metadata["description"]
    return out


def _validator(v) -> dict:
    if isinstance(v, validate.OneOf):
        return {"enum": list(v.choices)}
    if isinstance(v, validate.Length):
        return {k: n for k, n in (("minLength", v.min), ("maxLength", v.max)) if n is not None}
    if isinstance(v, validate.Range):
        return {k: n for k, n in (("minimum", v.min), ("maximum", v.max)) if n is not None}
    if isinstance(v, validate.Regexp):
        return {"pattern": v.regex.pattern}
    return {}


def object_schema(schema: type[Schema]) -> dict:
    declared = schema._declared_fields
    secret = personal_fields(schema)
    properties = {}
    for name, f in declared.items():  # a field travels under its data_key when it has one
        properties[f.data_key or name] = field_schema(f)
        if name in secret:
            properties[f.data_key or name]["x-personal"] = True
    return {
        "type": "object",
        "properties": properties,
        "required": [f.data_key or n for n, f in declared.items() if f.required],
        "additionalProperties": False,
    }


def document(schema: type[Schema], path: str, title: str, description: str = "") -> dict:
    doc = {"$schema": DRAFT, "$id": f"{BASE_ID}/{path}", "title": title}
    if description:
        doc["description"] = description
    return {**doc, **object_schema(schema)}
