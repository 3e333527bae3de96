"""The HTTP API's plumbing, free of nameko: routes declared once (they feed both the dispatcher
and the OpenAPI document), JSON in and out, and one table from failures to HTTP statuses. A
client's mistake is always a 4xx with a message and a code (contracts/api.py `Error`, the one
shape of every refusal, 404 and 405 included); a dependency that is away (the database, the
broker, a service) is a 503 with Retry-After, saying for a command whether it was stored
(services/common/outages.py); only our own bug is a 500. Messages are Greek unless the client
asks for English (Accept-Language)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from services.common import outages
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.domain.login import Throttled, Unauthenticated
from services.portal_gateway.entrypoints.web.i18n import LANGUAGES, WORDS, translator
from services.portal_gateway.entrypoints.web.messages import translated, translated_details

log = logging.getLogger(__name__)
PREFIX = "/api/v1"
MAX_BODY = 256 * 1024  # a command or an offline batch; a route that takes files says its own
MAX_DEPTH = 16  # no contract nests deeper; Python's JSON parser would recurse until it fails
STATUS = {"invalid": 422, "rule_violated": 422, "not_found": 404, "conflict": 409, "erased": 410}
# the code of a refusal that does not name its own (a client tells refusals apart by code)
CODES = {
    400: "not_json",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "erased",
    413: "too_large",
    422: "invalid",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


@dataclass(frozen=True)
class FileBody:
    """A download instead of JSON (a CSV or XLSX export)."""

    content: bytes
    content_type: str
    filename: str


class ApiError(Exception):
    """A refusal: `message` is a key of the API's words (i18n.WORDS, filled with `words`) or, for
    a reason a domain rule gave, its own English text (told through the message catalogue,
    web/messages.py)."""

    def __init__(
        self, status: int, message: str, details: Any = None, code: str | None = None, **words
    ):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details
        self.code = code or CODES.get(status, "invalid")
        self.words = words

    def said(self, lang: str, named: Callable[[str], str] | None = None) -> str:
        if self.message not in WORDS:
            return translated(self.message, lang, named)
        text = translator(lang)(self.message)
        return text.format(**self.words) if self.words else text

    def body(self, lang: str, named: Callable[[str], str] | None = None) -> dict:
        """`named`: how a code inside a message is named (the portal's pages name sites)."""
        details = translated_details(self.details, lang, named)
        return _error(self.said(lang, named), details, self.code)


def forbidden(why: str = "api_forbidden") -> ApiError:
    return ApiError(403, why)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # werkzeug syntax: /beneficiaries/<uuid:beneficiary_id>
    handler: Callable
    summary: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None  # the query string's parameters, validated like a body
    auth: str = "token"  # token | api_key | none
    tag: str = ""
    fills: tuple[str, ...] = ()  # fields of the body's contract the gateway fills in (who acted)
    # who may call the route at all (a predicate of domain/access.py), refused before the body is
    # read; a decision that needs the record is taken in the handler, through access too
    allow: Callable[[Any], bool] | None = None
    max_body: int = MAX_BODY  # bytes: more is refused (413) before it is read
    throttled: bool = False  # checks a password: may answer 429 with Retry-After
    answers: type[Schema] | None = None  # the success's contract (contracts/api.py)
    created: bool = False  # it makes a new thing (a person, a referral, a grant): 201
    files: tuple[str, ...] = ()  # the media types of the files it may answer instead of JSON
    # statuses the handler itself may answer beyond those its declaration implies (a 403 decided on
    # the record, a 404 for a month not released yet): the OpenAPI document lists them
    refuses: tuple[int, ...] = ()
    description: str = ""  # what a client must know beyond the summary (the OpenAPI document's)
    standalone: bool = False  # answered from the code alone (the OpenAPI document): never a 503

    @property
    def success(self) -> int:
        return 201 if self.created else 200

    @property
    def command(self) -> bool:
        """It sends a command: its body carries a command id (the client's, or one the gateway
        derives from what was asked), so the same request sent again is the same command."""
        return self.body is not None and "command_id" in self.body._declared_fields


class Routes:
    """The routes one module declares, in its order: the API's table is built from each module's
    list explicitly (api/__init__.py), never by importing a module for its side effects."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, path: str, summary: str, **options: Any):
        def register(handler):
            self.add(method, path, summary, handler, **options)
            return handler

        return register

    def add(self, method: str, path: str, summary: str, handler: Callable, **options: Any) -> None:
        self.routes.append(Route(method, path, handler, summary, **options))


class Router:
    """From a method and a path to what handles it, for the API and the pages alike: werkzeug's
    rules, an unknown path a 404 and a known one with another method a 405."""

    def __init__(self, targets: list[tuple[str, str, Any]], prefix: str = ""):
        self.targets = [target for _, _, target in targets]
        self.prefix = prefix
        rules = [
            Rule(path, endpoint=i, methods=[method]) for i, (method, path, _) in enumerate(targets)
        ]
        self.urls = Map(rules, strict_slashes=False)

    def match(self, method: str, path: str) -> tuple[Any, dict]:
        try:
            index, args = self.urls.bind("", "/").match(path, method=method)
        except NotFound:
            raise ApiError(404, "api_no_route", path=f"{self.prefix}{path}") from None
        except MethodNotAllowed as exc:
            allowed = sorted(exc.valid_methods or [])
            raise ApiError(
                405, "api_method", {"allowed": allowed}, method=method, allowed=", ".join(allowed)
            ) from None
        return self.targets[index], dict(args)


def api_router(routes: list[Route]) -> Router:
    return Router([(r.method, r.path, r) for r in routes], PREFIX)


@dataclass
class Call:
    """What a handler gets: the route's arguments, the JSON body, the query string, who asks,
    from which address (the login throttle counts per client), and in which language the person
    reads what they are told (Greek unless they ask for English)."""

    args: dict
    body: Any
    query: dict
    principal: Any
    backends: Any
    client: str = ""
    lang: str = "el"


def dispatch(request, backends, authenticate: Callable, router: Router) -> tuple[int, dict]:
    """An HTTP request to the API: find its route, authenticate, parse, run. A route that makes
    something answers 201 (the web pages, calling `run`, take any success as 200)."""
    lang = request.accept_languages.best_match(LANGUAGES, default="el")
    r = None
    try:
        path = request.path[len(PREFIX) :] or "/"
        r, args = router.match(request.method, path)
        principal = authenticate(request, r.auth)
        body = _body(request, r.max_body) if r.method in ("POST", "PUT") else None
        query = request.args.to_dict()
        if r.query is not None:  # a route without parameters reads none, so none is refused
            _check_text(query)
        status, answer = run(
            r, args, body, query, principal, backends, request.remote_addr or "", lang
        )
        return (r.success if status == 200 else status), answer
    except ApiError as exc:
        return exc.status, exc.body(lang)
    except Unauthenticated as exc:
        return 401, _error(translated(str(exc), lang), code="unauthenticated")
    except Exception as exc:  # before the route's handler ran: authenticating, reading the body
        return _failed(exc, f"{request.method} {request.path}", r is not None and r.command, lang)


def run(
    r: Route,
    args: dict,
    body: Any,
    query: dict,
    principal,
    backends,
    client: str = "",
    lang: str = "el",
    named: Callable[[str], str] | None = None,
) -> tuple[int, dict]:
    """One route's handler, with every failure turned into a status (the web portal calls this too)."""
    try:
        if r.allow is not None and not r.allow(principal):
            _audit_refusal(r, args, principal, backends)
            raise forbidden()
        if r.body is not None:
            body = _validated(r.body, body, (*args, *r.fills))
        if r.query is not None:
            query = _query(r.query, query)
        return 200, r.handler(Call(args, body, query, principal, backends, client, lang))
    except ApiError as exc:
        return exc.status, exc.body(lang, named)
    except Unauthenticated as exc:
        return 401, _error(translated(str(exc), lang), code="unauthenticated")
    except Throttled as exc:  # told in the person's language: a client shows it as it is
        message = translator(lang)("throttled").format(seconds=exc.seconds)
        return 429, _error(message, {"retry_after": exc.seconds}, "throttled")
    except CommandRejected as exc:  # the service's English, told in the person's language
        found = translated(exc.message, lang, named), translated_details(exc.details, lang, named)
        return STATUS.get(exc.code, 422), _error(*found, exc.code)
    except Exception as exc:
        return _failed(exc, f"{r.method} {r.path}", r.command, lang)


def _failed(exc: Exception, where: str, command: bool, lang: str) -> tuple[int, dict]:
    """A dependency that is away is a 503 (`unavailable`); anything else is a bug of ours, a 500,
    logged in full and told plainly."""
    outage = outages.unavailable(exc)
    if outage is None:
        log.exception("unhandled error on %s", where)
        return 500, _error(translator(lang)("api_server_error"), code="server_error")
    log.warning("%s: %s (%s)", where, outage, type(exc).__name__)
    return unavailable(outage, command, lang)


def unavailable(outage: outages.Unavailable, command: bool, lang: str) -> tuple[int, dict]:
    """503 with the dependency that is away and how long to wait (Retry-After). A command's answer
    says whether it was stored: `false` (nothing of it left the gateway, or the service stored
    nothing: send it again), or `null` with code `outcome_unknown` (its request or its write was
    on its way when the connection broke: send it again with the same command id, which stores it
    once or answers it as already stored)."""
    t = translator(lang)
    details = {"dependency": outage.dependency, "retry_after": outages.RETRY_AFTER}
    if not command:
        return 503, _error(t("api_unavailable"), details, "unavailable")
    if outage.stored is False and not outages.may_have_stored():
        return 503, {**_error(t("api_not_stored"), details, "unavailable"), "stored": False}
    return 503, {**_error(t("api_outcome_unknown"), details, "outcome_unknown"), "stored": None}


def _audit_refusal(r: Route, args: dict, principal, backends) -> None:
    """A role refused a route on a person (a worker asking for someone's Art. 15 export, say):
    an attempt on that person, audited like any other. The refusal does not depend on the id (403
    for anyone's), so it tells nothing of who exists."""
    if "beneficiary_id" in args:
        backends.audit.record_viewed(
            principal,
            str(args["beneficiary_id"]),
            [],
            f"{r.method} {r.path}",
            False,
            purpose="record",
            refused=True,
        )


def _body(request, limit: int) -> Any:
    """The JSON body, read no further than the route's limit: a 20 MB login is refused unread."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "api_too_large", limit=limit)
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise ApiError(413, "api_too_large", limit=limit)
    if not raw:
        return {}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "api_not_json", why=str(exc)) from None
    except RecursionError:
        raise ApiError(400, "api_too_deep", code="too_deep", depth=MAX_DEPTH) from None
    _check_text(body)
    return body


def _check_text(value: Any, depth: int = 0) -> None:
    """Refuse what the platform cannot store or should not parse: nesting deeper than any contract,
    NUL characters (PostgreSQL text cannot hold U+0000) and lone surrogates (not Unicode text)."""
    if depth > MAX_DEPTH:
        raise ApiError(400, "api_too_deep", code="too_deep", depth=MAX_DEPTH)
    if isinstance(value, str):
        if "\x00" in value:
            raise ApiError(422, "api_nul")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(422, "api_not_unicode") from None
    elif isinstance(value, list):
        for item in value:
            _check_text(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, depth + 1)
            _check_text(item, depth + 1)


def _validated(schema: type[Schema], body: Any, filled: tuple[str, ...]) -> Any:
    if not isinstance(body, dict):
        raise ApiError(422, "api_not_object")
    try:  # the service validates again; this names the fields before any call (ids come from the path)
        schema(partial=filled).load({k: v for k, v in body.items() if k not in filled})
    except ValidationError as exc:
        raise ApiError(422, "api_contract", exc.messages) from None
    return body


def _query(schema: type[Schema], query: dict) -> dict:
    try:
        return schema().load(query)
    except ValidationError as exc:
        raise ApiError(422, "api_query", exc.messages) from None


def _error(message: str, details: Any = None, code: str = "invalid") -> dict:
    found: dict[str, Any] = {"error": message, "code": code}
    if details:
        found["details"] = details
    return found


def answer_headers(status: int, body: Any) -> dict:
    """The headers a refusal's body implies: a 429's or a 503's Retry-After (the seconds it
    states) and a 405's Allow (the methods the path takes, RFC 9110)."""
    if status in (429, 503) and isinstance(body, dict):
        return {"Retry-After": str(body["details"]["retry_after"])}
    if status == 405 and isinstance(body, dict):
        return {"Allow": ", ".join(body["details"]["allowed"])}
    return {}
