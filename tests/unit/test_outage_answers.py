"""Which failures are an outage (503 with Retry-After, saying for a command whether it was stored)
and which stay a bug (500): a dependency that is away must never read as our bug, and a bug must
never hide behind a 503 that invites a retry."""

from __future__ import annotations

import psycopg2
import psycopg2.errors
import pytest
from marshmallow import fields

from contracts.base import StrictSchema
from services.common import outages
from services.common.outages import BROKER, DATABASE, Unavailable
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.entrypoints.api.framework import Route, answer_headers, run


class Command(StrictSchema):
    command_id = fields.String(required=True)


def answered(exc: BaseException, command: bool = True, lang: str = "el") -> tuple[int, dict]:
    """What the API answers when a route's work raises `exc`."""

    def handler(call):
        raise exc

    route = Route("POST", "/things", handler, "a thing", body=Command if command else None)
    outages.command_begins()
    return run(route, {}, {"command_id": "c-1"}, {}, None, None, lang=lang)


@pytest.mark.parametrize(
    "exc",
    [
        psycopg2.OperationalError("could not connect to server: Connection refused"),
        psycopg2.OperationalError("server closed the connection unexpectedly"),
        psycopg2.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg2.errors.CannotConnectNow("the database system is starting up"),
        psycopg2.errors.TooManyConnections("sorry, too many clients already"),
        psycopg2.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"),
        psycopg2.InterfaceError("connection already closed"),
    ],
)
def test_a_database_that_is_away_is_a_503_naming_it(exc):
    status, body = answered(exc)
    assert status == 503 and body["details"]["dependency"] == DATABASE
    assert answer_headers(status, body) == {"Retry-After": str(outages.RETRY_AFTER)}


@pytest.mark.parametrize(
    "exc",
    [
        KeyError("version"),
        TypeError("'NoneType' object is not subscriptable"),
        psycopg2.errors.UndefinedTable('relation "nothing" does not exist'),
        psycopg2.errors.UniqueViolation("duplicate key value violates unique constraint"),
        psycopg2.errors.SerializationFailure("could not serialize access"),
        psycopg2.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg2.ProgrammingError("syntax error at or near"),
        ConnectionRefusedError(111, "ECONNREFUSED"),  # not through the RPC proxy: ours to fix
    ],
)
def test_a_bug_stays_a_500(exc):
    status, body = answered(exc)
    assert (status, body["code"]) == (500, "server_error")
    assert "stored" not in body and answer_headers(status, body) == {}


def test_a_command_that_never_left_says_it_was_not_stored():
    status, body = answered(Unavailable(BROKER, stored=False))
    assert status == 503 and body["code"] == "unavailable" and body["stored"] is False
    assert body["details"] == {"dependency": BROKER, "retry_after": outages.RETRY_AFTER}
    assert "δεν καταχωρίστηκε" in body["error"]


def test_a_command_whose_answer_was_lost_says_it_may_have_been_stored():
    status, body = answered(Unavailable("intake", stored=None), lang="en")
    assert status == 503 and body["code"] == "outcome_unknown" and body["stored"] is None
    assert body["details"]["dependency"] == "intake"
    assert "same command_id" in body["error"]


def test_a_write_already_sent_makes_a_later_outage_unknown_not_unstored():
    def handler(call):
        outages.write_sent()  # the store sent the command's append; then the connection broke
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    route = Route("POST", "/things", handler, "a thing", body=Command)
    outages.command_begins()
    status, body = run(route, {}, {"command_id": "c-1"}, {}, None, None)
    assert (status, body["code"], body["stored"]) == (503, "outcome_unknown", None)


def test_a_read_that_meets_an_outage_says_nothing_of_storing():
    status, body = answered(psycopg2.OperationalError("connection refused"), command=False)
    assert (status, body["code"]) == (503, "unavailable") and "stored" not in body
    assert "δεν είναι διαθέσιμη προσωρινά" in body["error"]


def test_a_refusal_is_still_a_refusal():
    status, body = answered(CommandRejected("conflict", "stale", {"current_version": 3}))
    assert (status, body["code"]) == (409, "conflict")


def test_unavailable_crosses_rpc_as_itself_with_what_was_stored():
    from nameko.exceptions import deserialize, serialize

    for stored in (False, None):
        crossed = deserialize(serialize(Unavailable(DATABASE, stored)))
        assert isinstance(crossed, Unavailable)
        assert (crossed.dependency, crossed.stored) == (DATABASE, stored)
