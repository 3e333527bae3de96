"""What every domain module shares: the events a decider emits and the errors it raises.
No framework, no database: deciders are pure functions over these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contracts.geography import municipalities


@dataclass(frozen=True)
class DomainEvent:
    type: str
    payload: dict[str, Any] = field(default_factory=dict)


class DomainError(Exception):
    """A rule said no. `code` maps to an HTTP status at the gateway (one table, there)."""

    code = "rejected"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message, self.details = message, details


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class RuleViolated(DomainError):
    code = "rule_violated"


Rule = Callable[[Any, Any], list[DomainEvent]]


def deciding(rules: dict[type, Rule]) -> Callable[[Any, Any], list[DomainEvent]]:
    """Every decider's `decide`: the rule for the command's own class, from one explicit table
    (`DECISIONS` in each domain module). A command no rule names is a bug, said loudly."""

    def decide(command: Any, state: Any) -> list[DomainEvent]:
        rule = rules.get(type(command))
        if rule is None:
            raise TypeError(f"no rule decides {type(command).__name__}")
        return rule(command, state)

    return decide


def happened_by(today: date, command: Any, may_be_later: frozenset[str] = frozenset()) -> None:
    """What a command records has happened by today (Greece's day, told by the caller's clock): a
    contact dated 2031 is a typing error, stored it would count in the wrong month's figures.
    `may_be_later`: the command's dates that look ahead (a consent's last day, a step's due day)."""
    for name, value in vars(command).items():
        if isinstance(value, date) and name not in may_be_later and value > today:
            raise RuleViolated(
                "a date in the future: what is recorded must have happened by today",
                field=name,
                **{name: value.isoformat()},
            )


def known_municipality(code: str | None, field_name: str = "municipality_code") -> None:
    """A municipality of the region's list (contracts/geography.py): a code like 9999 or 0000
    would be counted nowhere, or in another region's figures."""
    if code is not None and code not in municipalities():
        raise RuleViolated(
            "no such municipality in the Peloponnese", field=field_name, **{field_name: code}
        )
