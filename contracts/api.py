"""The HTTP API's answers (and the parts of its requests that a route checks itself), defined once
here: each route names its answer (`@api.route(..., answers=...)`) and the OpenAPI document is
generated from these schemas. An answer lists what a client may rely on; it may gain fields, so
the document does not forbid others (a client ignores what it does not know)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts.base import StrictSchema, event_contract
from contracts.jsonschema import object_schema
from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED

# a count that left a centre: a number, or "c" when it is suppressed (fewer than 5, or hidden so
# that no other cell can be worked out)
CELL = {"type": ["integer", "string"], "description": 'a count, or "c" when it is suppressed'}
SUPPRESSED_COUNTS = {"type": "object", "additionalProperties": CELL}


def _raw(description: str, schema: dict | None = None, **options) -> fields.Raw:
    return fields.Raw(
        metadata={"json_schema": {**(schema or {}), "description": description}}, **options
    )


def _list(inner: fields.Field, description: str = "", **options) -> fields.List:
    return fields.List(
        inner, metadata={"description": description} if description else {}, **options
    )


class Error(StrictSchema):
    """Every refusal and failure, whatever the status: a client tells them apart by `code`.

    A 503 is an outage, not a refusal: a dependency is away (`details.dependency`: database,
    broker, or the service that did not answer), and Retry-After (and `details.retry_after`) says
    when to send it again. A command's 503 says whether it was stored: `stored: false` (code
    `unavailable`: nothing was stored) or `stored: null` (code `outcome_unknown`: it may have been,
    its answer was lost). Either way the client sends it again with the same `command_id`:
    commands are idempotent by it, so the retry stores the command once or answers it as already
    stored (`duplicate: true`). The gateway keeps the client's id, or derives one from what was
    asked where a route's id is optional, so a retry of the same request is the same command."""

    error = fields.String(
        required=True,
        metadata={"description": "what went wrong, in Greek (English with Accept-Language: en)"},
    )
    code = fields.String(
        required=True,
        metadata={
            "description": "not_json, too_large, unauthenticated, forbidden, not_found,"
            " method_not_allowed, invalid (the contract), rule_violated, conflict, erased,"
            " throttled, server_error (our bug), unavailable (a dependency is away: 503),"
            " outcome_unknown (a command's 503 when it may have been stored)"
        },
    )
    details = _raw("which fields are wrong and why, or what the refusal is about", required=False)
    stored = fields.Boolean(
        required=False,
        allow_none=True,
        metadata={
            "description": "a command's 503 only: false (not stored), null (unknown: send it"
            " again with the same command_id)"
        },
    )


# --- commands -------------------------------------------------------------------------------


class AppendedEvent(StrictSchema):
    type = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "its version in the stream"})
    position = fields.Integer(required=True, metadata={"description": "its position in the store"})


class CommandAnswer(StrictSchema):
    """What a command recorded: the stream, the version it is now at (the next command's
    expected_version on that stream) and whether it had been applied already (the same command id)."""

    stream = fields.String(
        required=True,
        metadata={
            "description": "case-<beneficiary_id>, referral-<referral_id>, beneficiary-<id>, ..."
        },
    )
    version = fields.Integer(
        required=True, allow_none=True, metadata={"description": "the stream's version after it"}
    )
    duplicate = fields.Boolean(
        required=True, metadata={"description": "the command id had been applied: nothing changed"}
    )
    events = fields.List(fields.Nested(AppendedEvent), required=True)
    warnings = _list(fields.Raw(), "what to check (staffing, people already at a receiving centre)")


class PossibleDuplicate(StrictSchema):
    beneficiary_id = fields.UUID(required=True)


class Registration(CommandAnswer):
    beneficiary_id = fields.UUID(
        required=True, metadata={"description": "the person's id, for every route that takes one"}
    )
    found_existing = fields.Boolean(
        required=True,
        metadata={"description": "the number named a person your network had registered: theirs"},
    )
    possible_duplicates = fields.List(fields.Dict(), required=True)


# --- logging in -----------------------------------------------------------------------------


class Token(StrictSchema):
    token = fields.String(required=True, metadata={"description": "Authorization: Bearer <token>"})
    expires_at = fields.Integer(required=True, metadata={"description": "Unix time"})


class LoggedIn(Token):
    session_ends_at = fields.Integer(required=True, metadata={"description": "Unix time"})
    role = fields.String(required=True)
    site = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)


class LoggedOut(StrictSchema):
    logged_out = fields.Boolean(required=True)


class PasswordChanged(StrictSchema):
    changed = fields.Boolean(required=True)


class FailedLogins(StrictSchema):
    failed_logins = fields.List(fields.Dict(), required=True)


# --- beneficiaries ---------------------------------------------------------------------------


class Found(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    given_name = fields.String(allow_none=True)
    family_name = fields.String(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    birth_year = fields.Integer(allow_none=True)
    municipality_code = fields.String(allow_none=True)
    municipality_name = fields.String(allow_none=True)
    registered_at = fields.String(required=True, metadata={"description": "the site"})
    site_name = fields.String(allow_none=True, metadata={"description": "the site's name"})


class SearchResults(StrictSchema):
    results = fields.List(
        fields.Nested(Found),
        required=True,
        metadata={
            "description": "one page: more whole words of the name matched first, then by family"
            " name, given name and birth date"
        },
    )
    count = fields.Integer(required=True, metadata={"description": "people found, on all pages"})
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    capped = fields.Boolean(
        required=True,
        metadata={"description": "the search's limit was reached: more words find the rest"},
    )


class MergeRequestPending(StrictSchema):
    """A merge request waiting for the head: both records described as a search row describes one."""

    duplicate = fields.Nested(Found, required=True)
    survivor = fields.Nested(Found, required=True)
    requested_by = fields.String(required=True)
    site = fields.String(allow_none=True, metadata={"description": "where it was asked"})
    requested_at = fields.String(required=True)


class MergeRequests(StrictSchema):
    requests = fields.List(fields.Nested(MergeRequestPending), required=True)


class TimelineStep(StrictSchema):
    type = fields.String(required=True)
    occurred_at = fields.String(required=True)
    site = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    data = fields.Dict(required=True)


class Record(StrictSchema):
    beneficiary_id = fields.UUID(
        required=True, metadata={"description": "the surviving record, if this one was merged"}
    )
    records = fields.List(fields.UUID(), required=True)
    erased = fields.Boolean(required=True)
    registered = fields.Dict(required=True)
    timeline = fields.List(fields.Nested(TimelineStep), required=True)
    case = fields.Dict(
        required=True,
        metadata={"description": "the case's version (expected_version), plan, state"},
    )
    assessment = fields.Dict(
        required=True,
        allow_none=True,
        metadata={"description": "special categories: shown to case workers only"},
    )
    special_categories = fields.Boolean(
        required=True,
        metadata={
            "description": "whether this reader may see and record the needs assessment (a case"
            " worker of the network, or a live emergency grant)"
        },
    )
    referrals = fields.List(fields.Dict(), required=True)
    break_glass = fields.Boolean(required=True)
    emergency_until = fields.String(required=True, allow_none=True)


class Views(StrictSchema):
    views = fields.List(fields.Dict(), required=True)


class IdentityReviews(StrictSchema):
    site_records = fields.List(fields.Dict(), required=True)
    possible_duplicates = fields.List(fields.Dict(), required=True)


class SubjectAccess(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    records = fields.List(fields.UUID(), required=True)


class AccessReport(StrictSchema):
    entries = fields.List(fields.Dict(), required=True)


# --- emergency access ------------------------------------------------------------------------


class Grant(StrictSchema):
    grant_id = fields.UUID(required=True)
    beneficiary_id = fields.UUID(required=True)
    granted_at = fields.String(required=True)
    expires_at = fields.String(required=True)


class Grants(StrictSchema):
    grants = fields.List(fields.Dict(), required=True)


class Review(StrictSchema):
    grant_id = fields.UUID(required=True)
    beneficiary_id = fields.UUID(required=True)
    reviewer = fields.String(required=True)
    note = fields.String(required=True)


# --- referrals -------------------------------------------------------------------------------


class Proposals(StrictSchema):
    proposals = fields.List(fields.Dict(), required=True)


class Referrals(StrictSchema):
    referrals = fields.List(fields.Dict(), required=True)


class Inbox(Referrals):
    """A page of an inbox: each referral's `person` (name, phone) where the caller may see them,
    else null; how many there are in all, which page, how many a page."""

    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


# --- the mobile unit's sync ------------------------------------------------------------------

SYNC_STATUSES = ("applied", "already_applied", "conflict", "refused")
# what each status's item carries besides command_id and status (the JSON Schema says it too)
SYNC_NEEDS = {
    "applied": ("version",),
    "already_applied": ("version",),
    "conflict": ("version", "code", "error", "current"),
    "refused": ("code", "error"),
}
# an item's error codes: those of the API's Error a command can meet (never a bare status)
SYNC_CODES = ("not_found", "forbidden", "invalid", "rule_violated", "conflict", "erased")
# what an offline command's `fields` never holds: the item says them (its id, whose, which version)
SYNC_OWN = ("command_id", "beneficiary_id", "expected_version")


def command_fields(kinds: dict[str, type[Schema]], filled: tuple[str, ...] = ()) -> fields.Dict:
    """An offline command's `fields`: those of the command its kind names (any JSON object is
    taken here; the command's service checks it against its contract and says what is wrong)."""
    shapes = []
    for kind, schema in kinds.items():
        shape = object_schema(schema)
        hidden = {*SYNC_OWN, *filled}
        shape["properties"] = {k: v for k, v in shape["properties"].items() if k not in hidden}
        shape["required"] = [k for k in shape["required"] if k not in hidden]
        shapes.append({"title": f"kind: {kind}", **shape})
    return fields.Dict(
        required=True,
        data_key="fields",
        metadata={
            "json_schema": {
                "description": "the fields of the command its kind names, without command_id,"
                " beneficiary_id and expected_version (the item's own)",
                "anyOf": shapes,
            }
        },
    )


class ChangedMeanwhile(StrictSchema):
    """One event recorded on the stream after the item's base_version: what the worker is shown,
    field by field, to decide on a conflict. Its fields are those the person's record shows the
    worker (the event's public fields; nothing sealed, no special-category data)."""

    version = fields.Integer(required=True, metadata={"description": "its version in the stream"})
    type = fields.String(required=True, metadata={"description": "ContactRecorded, ..."})
    occurred_at = fields.String(
        required=True, allow_none=True, metadata={"description": "when it happened, if it says"}
    )
    site = fields.String(required=True, allow_none=True)
    site_name = fields.String(
        required=True, allow_none=True, metadata={"description": "the site by its name"}
    )
    actor = fields.String(required=True, allow_none=True, metadata={"description": "who"})
    actor_name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "who, by name (the account's display name, or the registry's)"},
    )
    fields_ = fields.Dict(required=True, data_key="fields", metadata={"description": "its fields"})


class Synced(StrictSchema):
    """One offline command's outcome. Every item of every answer has this one shape:
    - `applied`: recorded now; `version` is the stream's version after it.
    - `already_applied`: the same command_id was recorded before (a replayed batch): nothing new
      is stored; `version` is the version it produced then.
    - `conflict`: someone else recorded on the stream after base_version; nothing was recorded
      and nothing overwritten. `version` is the stream's version now, `current` what changed
      meanwhile, field by field; the worker decides, then sends a new command (a new command_id,
      or the same one unchanged) with base_version = `version`.
    - `refused`: not recorded, for good: `code` is one of the API's error codes (`not_found` for
      a person the worker may not act on or an id that is no one's, exactly as the API's 404;
      `forbidden`, `invalid`, `rule_violated`, `conflict` for a command_id used by another
      command or a referral_id already taken, `erased`), `error` says why and `details` what
      about."""

    command_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(SYNC_STATUSES))
    version = fields.Integer(
        metadata={
            "description": "applied, already_applied: the stream's version after the command;"
            " conflict: the stream's version now"
        }
    )
    code = fields.String(
        validate=validate.OneOf(SYNC_CODES),
        metadata={"description": "conflict, refused: an error code, as the API's Error says"},
    )
    error = fields.String(
        metadata={"description": "conflict, refused: why, in Greek (English with Accept-Language)"}
    )
    details = _raw("refused: which fields are wrong and why, or what the refusal is about")
    current = fields.List(
        fields.Nested(ChangedMeanwhile),
        metadata={"description": "conflict: what was recorded since base_version, in order"},
    )

    @validates_schema
    def says_what_its_status_needs(self, data, **kwargs):
        for name in SYNC_NEEDS[data["status"]]:
            if name not in data:
                raise ValidationError(f"a {data['status']} item says its {name}", name)


def _sync_item() -> dict:
    shape = object_schema(Synced)
    shape["allOf"] = [
        {
            "if": {"properties": {"status": {"const": status}}},
            "then": {"required": list(needs)},
        }
        for status, needs in SYNC_NEEDS.items()
    ]
    return shape


class SyncResults(StrictSchema):
    results = fields.List(
        fields.Nested(Synced),
        required=True,
        metadata={
            "json_schema": {
                "type": "array",
                "items": _sync_item(),
                "description": "one per command, in the batch's order",
            }
        },
    )


# --- municipal systems -----------------------------------------------------------------------

# what a municipal system may publish (the HTTP ingest and the AMQP exchange alike)
PUBLISHED_EVENTS = (CONTACT_RECORDED, SERVICE_DELIVERED)


def ingest_item() -> fields.Raw:
    """One published event. Any JSON is taken (each item is checked on its own, so one bad item
    does not refuse the batch); the document says what is accepted."""
    return _raw(
        "an event of a published contract: its data as the event's JSON Schema says",
        {
            "type": "object",
            "required": ["event_id", "type", "schema_version", "data"],
            "properties": {
                "event_id": {
                    "type": "string",
                    "minLength": 8,
                    "maxLength": 100,
                    "description": "made by the publisher: the same event sent twice is one",
                },
                "type": {"type": "string", "enum": list(PUBLISHED_EVENTS)},
                "schema_version": {"type": "integer", "minimum": 1},
                "occurred_at": {"type": "string", "format": "date-time"},
                "data": {
                    "anyOf": [
                        {"title": t, **object_schema(event_contract(t).schema)}
                        for t in PUBLISHED_EVENTS
                    ]
                },
            },
        },
    )


class Ingested(StrictSchema):
    event_id = fields.Raw(required=True, metadata={"json_schema": {"type": ["string", "null"]}})
    status = fields.String(
        required=True, validate=validate.OneOf(["accepted", "duplicate", "rejected"])
    )
    stream = fields.String(metadata={"description": "accepted: case-<beneficiary_id>"})
    version = fields.Integer()
    reasons = fields.List(fields.String(), metadata={"description": "rejected: why, never a value"})
    digest = fields.String(metadata={"description": "rejected: how ops find it"})


class IngestResults(StrictSchema):
    results = fields.List(fields.Nested(Ingested), required=True)


class RefusedEvents(StrictSchema):
    rejected = fields.List(fields.Dict(), required=True)


class RefusedEvent(StrictSchema):
    id = fields.Integer(required=True)
    received_at = fields.String(required=True)
    publisher = fields.String(required=True)
    type = fields.String(allow_none=True)
    reasons = fields.List(fields.String(), required=True)
    digest = fields.String(required=True)
    body_kept = fields.Boolean(required=True)
    body = fields.Raw(required=True, allow_none=True)


# --- municipal publishers and their API keys ------------------------------------------------


class PublisherKey(StrictSchema):
    key_id = fields.String(required=True)
    issued_at = fields.String(required=True)
    issued_by = fields.String(required=True)
    revoked_at = fields.String(allow_none=True, required=True)
    revoked_by = fields.String(allow_none=True, required=True)


class Publisher(StrictSchema):
    name = fields.String(required=True, metadata={"description": "its broker user (AMQP user_id)"})
    site = fields.String(required=True, metadata={"description": "the centre it publishes for"})
    active = fields.Boolean(required=True)
    keys = fields.List(
        fields.Nested(PublisherKey), required=True, metadata={"description": "never a key itself"}
    )


class Publishers(StrictSchema):
    publishers = fields.List(fields.Nested(Publisher), required=True)


class PublisherRegistered(StrictSchema):
    name = fields.String(required=True)
    site = fields.String(required=True)
    created = fields.Boolean(
        required=True, metadata={"description": "false: it was registered already"}
    )


class PublisherActive(StrictSchema):
    name = fields.String(required=True)
    active = fields.Boolean(required=True)


class IssuedKey(StrictSchema):
    publisher = fields.String(required=True)
    key_id = fields.String(required=True)
    api_key = fields.String(
        required=True,
        metadata={"description": "shown in this answer only: only its digest is kept"},
    )


class RevokedKey(StrictSchema):
    publisher = fields.String(required=True)
    key_id = fields.String(required=True)
    revoked = fields.Boolean(required=True)


# --- registries ------------------------------------------------------------------------------


class Network(StrictSchema):
    region = fields.Dict(required=True)
    regional_units = fields.List(fields.Dict(), required=True)
    municipalities = fields.List(fields.Dict(), required=True)
    sites = fields.List(fields.Dict(), required=True)


class Staffing(StrictSchema):
    sites = fields.List(fields.Dict(), required=True)


class Agencies(StrictSchema):
    agencies = fields.List(fields.Dict(), required=True)


class Programmes(StrictSchema):
    programmes = fields.List(fields.Dict(), required=True)


class HsdsFiles(StrictSchema):
    files = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "file name -> its text (CSV files and datapackage.json)"},
    )


class HsdsImported(StrictSchema):
    agencies = fields.Integer(required=True)
    programmes = fields.Integer(required=True)
    registered = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)


# --- reports ---------------------------------------------------------------------------------


class Rule(StrictSchema):
    primary = fields.String(required=True)
    threshold = fields.Integer(required=True)
    protection = fields.String(required=True)
    hidden_mark = fields.String(required=True)


class Released(StrictSchema):
    """Figures that left a centre: a frozen release of a fixed period, suppressed."""

    period = fields.String(required=True)
    released_at = fields.String(required=True)
    rule = fields.Nested(Rule, required=True)


class SiteRegister(StrictSchema):
    site = fields.String(required=True)
    released = fields.Dict(metadata={"description": "from outside the centre: the released month"})
    days = fields.List(fields.Dict(), metadata={"description": "the head's own: day by day"})


class Register(StrictSchema):
    suppressed = fields.Boolean(required=True)
    site = fields.String(allow_none=True)
    rows = fields.List(fields.Dict(), metadata={"description": "live: day, site, measure, key, n"})
    period = fields.String()
    released_at = fields.String()
    rule = fields.Nested(Rule)
    tables = fields.Dict(
        values=fields.Dict(),
        metadata={"description": "released: each measure's rows and column totals, suppressed"},
    )


class Esf(StrictSchema):
    suppressed = fields.Boolean(required=True)
    operations = fields.Dict(required=True, metadata={"description": "by operation's site code"})
    operation_mis = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    period = fields.String()
    released_at = fields.String()
    rule = fields.Nested(Rule)


class Overview(Released):
    new_beneficiaries_by_site = _raw("by site code", SUPPRESSED_COUNTS, required=True)
    contacts_by_site = _raw("by site code", SUPPRESSED_COUNTS, required=True)
    contacts_by_municipality = _raw("by municipality code", SUPPRESSED_COUNTS, required=True)
    referrals_by_site = _raw("by site code", SUPPRESSED_COUNTS, required=True)
    referrals = _raw("all referrals", CELL, required=True)
    totals = _raw("the region's new beneficiaries and contacts", SUPPRESSED_COUNTS)
    response_times = fields.Dict(required=True)


class Coverage(Released):
    municipalities = fields.List(fields.Dict(), required=True)


class ReferralFlow(Released):
    flow = fields.List(fields.Dict(), required=True)
    totals = _raw(
        "the region's referrals sent in the month (`sent`) and by outcome, as released",
        SUPPRESSED_COUNTS,
    )


class Targets(StrictSchema):
    operations = fields.List(fields.Dict(), required=True)
    released_through = fields.String(metadata={"description": "from outside: the last month"})


class Caseload(StrictSchema):
    caseload = fields.List(fields.Dict(), required=True)


class OpenApiDocument(StrictSchema):
    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    paths = fields.Dict(required=True)
    components = fields.Dict(required=True)


# --- the roles' home pages, the DPO's and ops' pages (issue 15) ------------------------------


class DeadLetters(StrictSchema):
    dead_letters = _list(
        fields.Dict(),
        "each read model's open dead letters: consumer, id, source, position, stream, version,"
        " event_type, digest, error, failed_at (never the event's body)",
        required=True,
    )


class DeadLettersRetried(StrictSchema):
    consumer = fields.String(required=True)
    resolved = fields.Integer(
        required=True, metadata={"description": "streams applied, refused messages closed"}
    )
    still_open = fields.Integer(required=True)


class DeadLetterDiscarded(StrictSchema):
    consumer = fields.String(required=True)
    id = fields.Integer(required=True)


class Consistency(StrictSchema):
    read_models = _list(
        fields.Dict(),
        "each read model against its sources: consumer, consistent, differences",
        required=True,
    )


class IdentityReviewCounts(StrictSchema):
    site_records = fields.Integer(required=True)
    possible_duplicates = fields.Integer(required=True)


class Erasures(StrictSchema):
    erasures = _list(
        fields.Dict(), "recent erasures, newest first: beneficiary_id, at, by", required=True
    )


class RecordIdentity(StrictSchema):
    """Whom a record names, for the DPO's audit page and erasure confirmation (audited)."""

    beneficiary_id = fields.UUID(required=True)
    records = fields.List(fields.UUID(), required=True)
    given_name = fields.String(allow_none=True)
    family_name = fields.String(allow_none=True)
    birth_date = fields.String(allow_none=True)
    sites = fields.List(fields.String(), required=True)
    erased = fields.Boolean(required=True)


class MyDay(StrictSchema):
    contacts_today = _list(
        fields.Dict(), "contacts you recorded today: beneficiary, name, when, site", required=True
    )
    steps_due = _list(
        fields.Dict(),
        "open action plans' steps due within 7 days or late: beneficiary, name, plan, step, due_on",
        required=True,
    )
    answered_referrals = _list(
        fields.Dict(),
        "referrals from your network answered in the last days: beneficiary, name, state",
        required=True,
    )


# --- a mobile unit's trip --------------------------------------------------------------------


class TripMunicipality(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class TripStep(StrictSchema):
    step_id = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    due_on = fields.Date(required=True, allow_none=True)
    done = fields.Boolean(required=True)


class TripPlan(StrictSchema):
    plan_id = fields.String(required=True)
    opened_on = fields.Date(required=True, allow_none=True)
    goals = fields.String(required=True, allow_none=True)
    steps = fields.List(fields.Nested(TripStep), required=True)


class TripCase(StrictSchema):
    """What an offline command needs: the version every command of the trip on this person chains
    on (`base_version` of a sync), whether the case is closed, the open action plan."""

    version = fields.Integer(
        required=True, metadata={"description": "the case stream's version: the sync's base"}
    )
    closed = fields.Boolean(required=True)
    plan = fields.Nested(TripPlan, required=True, allow_none=True)


class TripPerson(StrictSchema):
    """A person of the day's work: identity, contact and case, never the needs assessment."""

    beneficiary_id = fields.UUID(required=True)
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    birth_date = fields.Date(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    gender = fields.String(required=True, allow_none=True)
    municipality_code = fields.String(required=True)
    case = fields.Nested(TripCase, required=True)
    consents = _list(
        fields.String(),
        "the recipients (agency, programme or centre ids) their consent covers today",
        required=True,
    )
    last_met_on = fields.Date(
        required=True, allow_none=True, metadata={"description": "their latest contact's day"}
    )


class TripRecipient(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("agency", "programme", "centre")))
    id = fields.String(
        required=True, metadata={"description": "the registry's id, a centre's site code"}
    )
    name = fields.String(required=True)
    needs = _list(fields.String(), "the needs it takes (a centre: any of them)", required=True)


class TripChoice(StrictSchema):
    code = fields.String(required=True)
    label = fields.String(
        required=True, metadata={"description": "in the request's language (Greek by default)"}
    )


class TripChoices(StrictSchema):
    """The vocabularies of the commands a worker records offline, each code with its label."""

    channels = fields.List(fields.Nested(TripChoice), required=True)
    services = fields.List(fields.Nested(TripChoice), required=True)
    needs = fields.List(fields.Nested(TripChoice), required=True)
    vulnerable_groups = fields.List(fields.Nested(TripChoice), required=True)
    labour_status = fields.List(fields.Nested(TripChoice), required=True)
    education = fields.List(fields.Nested(TripChoice), required=True)
    genders = fields.List(fields.Nested(TripChoice), required=True)


class Trip(StrictSchema):
    """A mobile unit's day's work, downloaded before a trip: the people, what a referral may
    name, the vocabularies; what the device works on offline until `expires_at`."""

    trip_id = fields.UUID(
        required=True, metadata={"description": "the `trip_id` of every sync batch of this trip"}
    )
    downloaded_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(
        required=True,
        metadata={"description": "downloaded_at plus the sync's offline window (days)"},
    )
    site = fields.String(required=True)
    site_name = fields.String(required=True, allow_none=True)
    staff_id = fields.String(required=True)
    municipalities = fields.List(fields.Nested(TripMunicipality), required=True)
    people = fields.List(fields.Nested(TripPerson), required=True)
    recipients = fields.List(fields.Nested(TripRecipient), required=True)
    choices = fields.Nested(TripChoices, required=True)
