"""Does an answer the gateway gave match its own OpenAPI document? The operation found from the
request's method and path, its status documented, its media type documented, and a JSON body
valid against the documented schema (JSON Schema 2020-12, which OpenAPI 3.1's schemas are)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from jsonschema import Draft202012Validator

PREFIX = "/api/v1"


def problems(document: dict, response) -> list[str]:
    """What is wrong with one `requests` response, in words naming the request ([] if nothing)."""
    method, path = response.request.method.lower(), urlparse(response.request.url).path
    said = f"{method.upper()} {path} -> {response.status_code}"
    path = path.removeprefix(PREFIX)
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    operation = _operation(document, method, path)
    if operation is None:  # no such route: the one error shape, and a 405 says what is allowed
        found = _invalid(document, {"$ref": "#/components/schemas/Error"}, response.json())
        if response.status_code == 405 and not response.headers.get("Allow"):
            found.append("a 405 without Allow")
        if response.status_code not in (404, 405):
            found.append("an undocumented operation answered")
        return [f"{said}: {p}" for p in found]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [f"{said}: status not documented ({', '.join(operation['responses'])})"]
    content = documented.get("content", {})
    if media_type not in content:
        return [f"{said}: {media_type} not documented ({', '.join(content)})"]
    if media_type != "application/json":
        return []
    return [
        f"{said}: {p}" for p in _invalid(document, content[media_type]["schema"], response.json())
    ]


def _operation(document: dict, method: str, path: str) -> dict | None:
    # a literal path before a templated one (/referrals/inbox is not /referrals/{referral_id})
    for template in sorted(document["paths"], key=lambda t: t.count("{")):
        if method in document["paths"][template] and _pattern(template).fullmatch(path):
            return document["paths"][template][method]
    return None


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)))


def _invalid(document: dict, schema: dict, body) -> list[str]:
    """The body against the schema, its $refs resolved in the document's components."""
    root = {**schema, "components": document["components"]}
    validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message[:300]}"
        for e in validator.iter_errors(body)
    ]
