"""A dependency that is away (the database, the broker, another service) is an outage, not a bug:
what a process raises then, and whether a command was stored before it.

`Unavailable` names the dependency and, for a command, what is known of its fate: `stored=False`
when nothing of it can have been written, `stored=None` when its write (or its request to the
service that writes it) was on its way when the connection broke, so it may have been stored. The
gateway answers either as 503 with Retry-After, never 500 (its README); the client sends the
command again with the same command id, which stores it once or finds it stored (commands are
idempotent by their id: services/common/README.md, guarantee 3).

Who sends a command's write says so, in the worker's own context (one green thread per RPC or
HTTP request, so no worker sees another's): the store, just before the statement that commits an
append carrying a command id, and the gateway's RPC proxy once a command's request has left it
(services/common/nameko_support.py). A command starts with nothing sent (`command_begins`).
Appends without a command id (the audit of a read) are no command's and mark nothing.

Framework-free but for psycopg2, whose errors it tells apart: the broker's (kombu's) are told by
the nameko glue, which raises `Unavailable` itself."""

from __future__ import annotations

import contextvars

import psycopg2
import psycopg2.errors

DATABASE, BROKER = "database", "broker"
# what a 503 tells a client to wait (Retry-After, seconds): a broker's or a database's restart, or
# a standby's promotion, takes about that here; a client that retries sooner is answered 503 again
RETRY_AFTER = 5
# SQLSTATE classes of a server that is going, gone or full: 08 connection exception, 57 operator
# intervention (57P01 "terminating connection due to administrator command", 57P03 "the database
# system is starting up"), 53 insufficient resources (too many connections)
_LOST_CLASSES = ("08", "57", "53")
# operational errors of a server that is there: a serialization failure or deadlock (40), a
# statement timeout of ours (57014)
_REFUSALS = (psycopg2.errors.TransactionRollbackError, psycopg2.errors.QueryCanceled)
_STORED_AS_TEXT = {"False": False, "None": None, "True": True}

_write_sent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kentra_command_write_sent", default=False
)


class Unavailable(Exception):
    """`dependency`: "database", "broker" or the name of a service that did not answer.
    `stored`: False (nothing of the command can have been written) or None (it may have been)."""

    def __init__(self, dependency: str, stored: bool | str | None = False):
        if isinstance(stored, str):  # as it crosses RPC: nameko sends every argument as text
            stored = _STORED_AS_TEXT[stored]
        super().__init__(dependency, stored)
        self.dependency, self.stored = dependency, stored

    def __str__(self) -> str:
        fate = {False: "nothing stored", None: "may have been stored"}.get(self.stored, "stored")
        return f"{self.dependency} unavailable ({fate})"


def command_begins() -> None:
    """A command starts in this worker: nothing of it sent yet."""
    _write_sent.set(False)


def write_sent() -> None:
    """A command's write (or its request to the service that writes it) is on its way."""
    _write_sent.set(True)


def may_have_stored() -> bool:
    return _write_sent.get()


def database_lost(exc: BaseException) -> bool:
    """Did the database go away (refused, ended, crashed, read-only after a failover), as opposed
    to refusing a statement (a constraint, a serialization failure, a bug in the SQL)?"""
    if isinstance(exc, psycopg2.InterfaceError):  # "connection already closed"
        return True
    if isinstance(exc, psycopg2.errors.ReadOnlySqlTransaction):  # a demoted primary
        return True
    if not isinstance(exc, psycopg2.OperationalError) or isinstance(exc, _REFUSALS):
        return False
    code = exc.pgcode or ""  # none: libpq's own (refused, "server closed the connection")
    return not code or code[:2] in _LOST_CLASSES


def unavailable(exc: BaseException) -> Unavailable | None:
    """The outage `exc` is, if it is one: an Unavailable as it came, or the database lost, with
    what this worker sent of its command so far; None for anything else (a bug stays a bug)."""
    if isinstance(exc, Unavailable):
        return exc
    if database_lost(exc):
        return Unavailable(DATABASE, None if may_have_stored() else False)
    return None
