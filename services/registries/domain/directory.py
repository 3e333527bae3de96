"""The agencies and programmes registries' deciders. A description is the whole record: the first
registers it, a different one changes its details, the same one again decides nothing, so an
import can be repeated safely."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.names import (
    AGENCY_DETAILS_CHANGED,
    AGENCY_REGISTERED,
    PROGRAMME_DETAILS_CHANGED,
    PROGRAMME_REGISTERED,
)
from services.common.domain import DomainEvent, NotFound, Rule, RuleViolated, deciding

AGENCY, PROGRAMME = "agency", "programme"


@dataclass(frozen=True)
class DescribeAgency:
    details: dict[str, Any]  # as the contract loaded it; agency_id among them


@dataclass(frozen=True)
class DescribeProgramme:
    details: dict[str, Any]
    agency_registered: bool = False  # fact: the agency that runs it is in the registry


@dataclass(frozen=True)
class Record:
    details: dict[str, Any] | None = (
        None  # as last stored (JSON form: the application compares like with like)
    )


initial = Record()


def evolve(state: Record, event) -> Record:
    if event.type in (
        AGENCY_REGISTERED,
        AGENCY_DETAILS_CHANGED,
        PROGRAMME_REGISTERED,
        PROGRAMME_DETAILS_CHANGED,
    ):
        return Record(dict(event.data))
    return state


def _describe_agency(command: DescribeAgency, state: Record) -> list[DomainEvent]:
    return _describe(command.details, state, AGENCY_REGISTERED, AGENCY_DETAILS_CHANGED)


def _describe_programme(command: DescribeProgramme, state: Record) -> list[DomainEvent]:
    if not command.agency_registered:
        raise NotFound("the agency that runs this programme is not registered", field="agency_id")
    if state.details and state.details["agency_id"] != command.details["agency_id"]:
        raise RuleViolated(
            "a programme stays with the agency that registered it", field="agency_id"
        )
    return _describe(command.details, state, PROGRAMME_REGISTERED, PROGRAMME_DETAILS_CHANGED)


DECISIONS: dict[type, Rule] = {
    DescribeAgency: _describe_agency,
    DescribeProgramme: _describe_programme,
}
decide = deciding(DECISIONS)


def _describe(details: dict, state: Record, registered: str, changed: str) -> list[DomainEvent]:
    if state.details and "hsds" not in details and "hsds" in state.details:
        # described by hand: what an HSDS import kept (that no form shows) stays with the record
        details = {**details, "hsds": state.details["hsds"]}
    if state.details is None:
        return [DomainEvent(registered, details)]
    if state.details == details:
        return []
    return [DomainEvent(changed, details)]
