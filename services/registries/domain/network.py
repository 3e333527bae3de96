"""The network's deciders: a site (a centre, or a centre's mobile unit) and a staff member, and the
staffing rule. Pure rules: the application layer hands in the facts they need from other streams
(the parent centre's regional unit, whether a site exists)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from contracts.geography import known_municipality
from contracts.names import (
    CENTRE_REGISTERED,
    MOBILE_UNIT_REGISTERED,
    PARTNER_MUNICIPALITIES_CHANGED,
    STAFF_MEMBER_ASSIGNED,
    STAFF_MEMBER_LEFT,
)
from services.common.domain import Conflict, DomainEvent, NotFound, Rule, RuleViolated, deciding

SITE, STAFF = "site", "staff"
FACTS = (
    "parent_regional_unit",
    "site_exists",
)  # looked up by the application, not sent by a client
SCIENTISTS = frozenset(
    {
        "social_worker",
        "psychologist",
        "social_scientist",
        "health_visitor",
        "economist_administrator",
        "learning_support",
        "mediator",
    }
)


@dataclass(frozen=True)
class RegisterCentre:
    site: str
    name: str
    lead_municipality_code: str
    regional_unit: str
    expanded: bool
    operation_mis: str
    period_start: date
    period_end: date
    budget_eur: Decimal
    target_new_beneficiaries: int


@dataclass(frozen=True)
class RegisterMobileUnit:
    site: str
    name: str
    parent_centre: str
    partner_municipalities: list[str]
    parent_regional_unit: str | None = None  # fact: None when no such centre is registered


@dataclass(frozen=True)
class ChangePartnerMunicipalities:
    site: str
    partner_municipalities: list[str]
    reason: str
    parent_regional_unit: str | None = None


@dataclass(frozen=True)
class Site:
    kind: str | None = None  # "centre" | "mobile_unit"
    regional_unit: str | None = None
    partner_municipalities: tuple[str, ...] = ()


initial = Site()


def evolve(state: Site, event) -> Site:
    if event.type == CENTRE_REGISTERED:
        return Site("centre", event.data["regional_unit"])
    if event.type == MOBILE_UNIT_REGISTERED:
        return Site("mobile_unit", None, tuple(event.data["partner_municipalities"]))
    if event.type == PARTNER_MUNICIPALITIES_CHANGED:
        return replace(state, partner_municipalities=tuple(event.data["partner_municipalities"]))
    return state


def _register_centre(command: RegisterCentre, state: Site) -> list[DomainEvent]:
    if state.kind:
        raise Conflict("this site is already registered", site=command.site)
    unit = known_municipality(command.lead_municipality_code).regional_unit
    if unit != command.regional_unit:
        raise RuleViolated(
            "the lead municipality is not in that regional unit",
            field="regional_unit",
            lead_municipality_regional_unit=unit,
        )
    if command.period_end <= command.period_start:
        raise RuleViolated("the operation's period must end after it starts", field="period_end")
    return [DomainEvent(CENTRE_REGISTERED, dict(command.__dict__))]


def _register_mobile_unit(command: RegisterMobileUnit, state: Site) -> list[DomainEvent]:
    if state.kind:
        raise Conflict("this site is already registered", site=command.site)
    _check_partners(command)
    return [DomainEvent(MOBILE_UNIT_REGISTERED, _without_facts(command))]


def _change_partner_municipalities(
    command: ChangePartnerMunicipalities, state: Site
) -> list[DomainEvent]:
    if state.kind != "mobile_unit":
        raise NotFound("no such mobile unit", site=command.site)
    _check_partners(command)
    if tuple(command.partner_municipalities) == state.partner_municipalities:
        return []
    return [DomainEvent(PARTNER_MUNICIPALITIES_CHANGED, _without_facts(command))]


DECISIONS: dict[type, Rule] = {
    RegisterCentre: _register_centre,
    RegisterMobileUnit: _register_mobile_unit,
    ChangePartnerMunicipalities: _change_partner_municipalities,
}
decide = deciding(DECISIONS)


def _check_partners(command) -> None:
    if command.parent_regional_unit is None:
        raise NotFound("the parent centre is not registered", field="parent_centre")
    if len(set(command.partner_municipalities)) != len(command.partner_municipalities):
        raise RuleViolated("a partner municipality is listed twice", field="partner_municipalities")
    outside = [
        c
        for c in command.partner_municipalities
        if known_municipality(c).regional_unit != command.parent_regional_unit
    ]
    if outside:
        # an expanded centre covers its own regional unit; its mobile unit goes no further
        raise RuleViolated(
            "partner municipalities must be in the parent centre's regional unit",
            field="partner_municipalities",
            outside=outside,
        )


def _without_facts(command) -> dict:
    return {k: v for k, v in command.__dict__.items() if k not in FACTS}


# --- staff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignStaffMember:
    staff_id: str
    name: str
    role: str
    site: str
    since: date
    site_exists: bool = False  # fact from the site's stream


@dataclass(frozen=True)
class StaffMemberLeaves:
    staff_id: str
    site: str
    on: date


@dataclass(frozen=True)
class StaffMember:
    sites: frozenset[str] = field(default_factory=frozenset)


def evolve_staff(state: StaffMember, event) -> StaffMember:
    if event.type == STAFF_MEMBER_ASSIGNED:
        return StaffMember(state.sites | {event.data["site"]})
    if event.type == STAFF_MEMBER_LEFT:
        return StaffMember(state.sites - {event.data["site"]})
    return state


def _assign_staff_member(command: AssignStaffMember, state: StaffMember) -> list[DomainEvent]:
    if not command.site_exists:
        raise NotFound("no such site in the network", field="site", site=command.site)
    if command.site in state.sites:
        return []  # already works there
    return [DomainEvent(STAFF_MEMBER_ASSIGNED, _without_facts(command))]


def _staff_member_leaves(command: StaffMemberLeaves, state: StaffMember) -> list[DomainEvent]:
    if command.site not in state.sites:
        raise NotFound("this staff member does not work at that site", field="site")
    return [DomainEvent(STAFF_MEMBER_LEFT, dict(command.__dict__))]


STAFF_DECISIONS: dict[type, Rule] = {
    AssignStaffMember: _assign_staff_member,
    StaffMemberLeaves: _staff_member_leaves,
}
decide_staff = deciding(STAFF_DECISIONS)


# --- the staffing rule (a warning, never enforced) ---------------------------------------------


def required_staff(population: int | None) -> int | None:
    """10,000-40,000 residents: 2; 40,000-100,000: 3; over 100,000: 4. The framework gives no
    figure below 10,000; such a municipality is held to the smallest band."""
    if population is None:
        return None
    if population > 100_000:
        return 4
    return 3 if population > 40_000 else 2


def staffing_warnings(kind: str, population: int | None, roles: list[str]) -> list[str]:
    scientists = sum(1 for r in roles if r in SCIENTISTS)
    warnings = []
    if kind == "centre":
        if "social_worker" not in roles:
            warnings.append("no social worker: a social worker is mandatory and heads the centre")
        needed = required_staff(population)
        if needed is None:
            warnings.append(
                "the lead municipality's population is unknown: the staffing rule cannot be checked"
            )
        elif scientists < needed:
            warnings.append(
                f"{scientists} of the {needed} staff the rule asks for {population:,} residents"
            )
    elif kind == "mobile_unit":
        if scientists < 2:
            warnings.append(f"{scientists} of the 2 social scientists a mobile unit needs")
        if "driver" not in roles:
            warnings.append("no driver for the mobile unit")
    return warnings
