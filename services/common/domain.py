"""What every domain module shares: the events a decider emits and the errors it raises.
No framework, no database: deciders are pure functions over these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
