"""What every domain module shares: the events a decider emits and the errors it raises.
No framework, no database: deciders are pure functions over these."""

from __future__ import annotations

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
