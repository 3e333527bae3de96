"""Who may see and do what: the gateway's policy, by role and site. Pure functions over a
principal and the facts of a record; the HTTP layer asks, then audits what was read.

Roles (domain.md, "Who uses the system"):
- case_worker: a social worker or psychologist of a centre or its mobile unit; sees that network's
  beneficiaries, special-category fields included.
- head_of_centre: as a case worker for the network's files but without special-category fields;
  may "break the glass" (an emergency grant: a listed reason and what happened, one hour, one
  person, the DPO told) to read a record in full, their own network's or another's.
- agency_officer: sees only referrals sent to their agency, and answers them.
- regional_coordinator: aggregates and referral routing; never a personal file.
- dpo: the audit log, erasure, and a person's own requests (everything held about them, who saw
  it); never a personal file for any other purpose.
- ops: dead letters and platform health; never a personal file.
- municipal_system: an API key that publishes events of its own site; reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STAFF = ("case_worker", "head_of_centre")
ROLES = (*STAFF, "agency_officer", "regional_coordinator", "dpo", "ops", "municipal_system")
# needs assessment fields that are special-category data (GDPR art. 9): health, disability, ethnicity
SPECIAL_CATEGORY = frozenset({"groups", "disability", "needs", "citizenship", "foreign_background"})


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    site: str | None = None  # staff: their centre or mobile unit
    agency_id: str | None = None  # agency officers
    network: frozenset[str] = field(default_factory=frozenset)  # the sites whose files they share
    session_id: str | None = None  # the login session the request came with (an API key has none)

    @property
    def context(self) -> dict:
        """What the services record as who and where."""
        return {"actor": self.username, "site": self.site or "KK-REGION"}


@dataclass(frozen=True)
class PersonFacts:
    """Where a beneficiary has been met, from the timeline: sites of their events, centres a
    referral went to, centres their case was transferred to."""

    sites: frozenset[str] = frozenset()
    referred_to: frozenset[str] = frozenset()
    transferred_to: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    special_categories: bool = False
    break_glass: bool = False
    why: str = ""


DENIED = Decision(False, why="your role or site does not give access to this record")


def network_of(site: str, sites: list[dict]) -> frozenset[str]:
    """A centre with its mobile units, or a mobile unit with its centre and the centre's other units."""
    parent = next((s.get("parent_centre") for s in sites if s["site"] == site), None) or site
    return frozenset({parent} | {s["site"] for s in sites if s.get("parent_centre") == parent})


def in_network(principal: Principal, person: PersonFacts) -> bool:
    return bool(principal.network & (person.sites | person.referred_to | person.transferred_to))


def view_record(principal: Principal, person: PersonFacts, emergency: bool = False) -> Decision:
    """`emergency`: the principal holds a live emergency grant for this person (domain/emergency.py),
    found in the audit store at this request; only a head's counts."""
    if principal.role not in STAFF:
        return DENIED
    if emergency and break_the_glass(principal):
        return Decision(True, special_categories=True, break_glass=True, why="break the glass")
    if in_network(principal, person):
        return Decision(True, special_categories=principal.role == "case_worker")
    return DENIED


def act_on_case(principal: Principal, person: PersonFacts | None, site: str | None) -> Decision:
    """Record something on a case: staff of the network the person is known in, acting for a
    site of their own network. `None` is a person being registered now (by any staff, for their
    own network); a person met nowhere (no such record) is refused like another network's."""
    if principal.role not in STAFF:
        return DENIED
    if site is not None and site not in principal.network:
        return Decision(False, why=f"you do not work at {site}")
    if person is not None and not in_network(principal, person):
        return DENIED
    return Decision(True)


def publish_event(principal: Principal, person: PersonFacts, site: str | None) -> Decision:
    """A municipal system's event (a contact, a service) for a person already known in its
    centre's network, for its own site: a key cannot open another network's file by posting to
    it, nor start a case for someone who does not exist."""
    if principal.role != "municipal_system":
        return DENIED
    if site != principal.site:
        return Decision(False, why=f"this key publishes for {principal.site} only")
    if not in_network(principal, person):
        return DENIED
    return Decision(True)


def see_referral(principal: Principal, referral: dict) -> bool:
    if principal.role == "agency_officer":
        return principal.agency_id in (referral["recipient_id"], referral["consent_recipient"])
    if principal.role in STAFF:
        return bool(principal.network & {referral["from_site"], referral["recipient_id"]})
    return False


def answer_referral(principal: Principal, referral: dict) -> bool:
    """The recipient answers: its agency officers, or the staff of the receiving centre."""
    if principal.role == "agency_officer":
        return see_referral(principal, referral)
    return principal.role in STAFF and referral["recipient_id"] in principal.network


def send_referral(principal: Principal, referral: dict) -> bool:
    """The sender's side (send, withdraw): the staff of the network it was sent from."""
    return principal.role in STAFF and referral["from_site"] in principal.network


def see_aggregates(principal: Principal, site: str | None) -> bool:
    if principal.role == "regional_coordinator":
        return True
    return principal.role == "head_of_centre" and (site is None or site in principal.network)


def manage_registries(principal: Principal) -> bool:
    return principal.role == "regional_coordinator"


def read_audit(principal: Principal) -> bool:
    return principal.role == "dpo"


def erase(principal: Principal) -> bool:
    return principal.role == "dpo"


def answer_subject_requests(principal: Principal) -> bool:
    """A person's rights (GDPR Art. 15): all the platform holds about them, and who read it."""
    return principal.role == "dpo"


def review_identities(principal: Principal) -> bool:
    """Who was registered again at another centre, and possible duplicates across networks: the
    DPO's to review (data accuracy, a person's rights), since no worker may be told of them."""
    return principal.role == "dpo"


def see_dead_letters(principal: Principal) -> bool:
    """Refused municipal events, as listed: publisher, time, reasons, type, digest; no body."""
    return principal.role in ("ops", "regional_coordinator")


def operate_read_models(principal: Principal) -> bool:
    """The read models' dead letters (where an event sits, its type and the error; never its
    body), retrying them after a fix, discarding a refused message, the consistency check: ops."""
    return principal.role == "ops"


def manage_publishers(principal: Principal) -> bool:
    """Municipal publishers and their API keys: register, issue, revoke, (de)activate. The
    coordinator keeps the network; ops run the integrations. Neither reads a person's file."""
    return principal.role in ("ops", "regional_coordinator")


def read_refused_event(principal: Principal) -> bool:
    """A refused municipal event's body (sealed under its person's key): the DPO's alone. A head of
    the publishing centre would read events refused precisely because the person is not their
    network's; the DPO reads across people already, for data protection, and is audited."""
    return principal.role == "dpo"


# --- who may call a route at all (the record, if any, is decided above) --------------------------


def is_staff(principal: Principal) -> bool:
    """Staff of a centre or mobile unit: search, register, record on cases, sync offline work."""
    return principal.role in STAFF


def decide_merges(principal: Principal) -> bool:
    """Whether two records are one person is a head of centre's call."""
    return principal.role == "head_of_centre"


def propose_recipients(principal: Principal) -> bool:
    return principal.role in STAFF or principal.role == "regional_coordinator"


def take_part_in_referrals(principal: Principal) -> bool:
    """Either side of a referral: staff who send and receive, agency officers who answer."""
    return principal.role in STAFF or principal.role == "agency_officer"


def see_regional_figures(principal: Principal) -> bool:
    """Figures across the region (coverage, referral flow, targets, staffing): a head sees their
    own network's rows of them, the coordinator all."""
    return see_aggregates(principal, None)


def see_regional_overview(principal: Principal) -> bool:
    return principal.role == "regional_coordinator"


def see_site_figures(principal: Principal, site: str | None) -> bool:
    """A site's figures (or, for the coordinator, the region's): a head reads only their network's."""
    if principal.role == "head_of_centre":
        return site is not None and site in principal.network
    return see_aggregates(principal, site)


def figures_leave_the_centre(principal: Principal) -> bool:
    """Everyone but the centre's own head reads its figures from outside: suppressed."""
    return principal.role != "head_of_centre"


def follow_referrals(principal: Principal) -> bool:
    """Lists of referrals (overdue ones): both sides, and the coordinator who routes them."""
    return take_part_in_referrals(principal) or principal.role == "regional_coordinator"


def see_referral_in_a_list(principal: Principal, referral: dict) -> bool:
    """The coordinator follows every referral's progress; the others only their own side's."""
    return principal.role == "regional_coordinator" or see_referral(principal, referral)


def break_the_glass(principal: Principal) -> bool:
    """Who may ask for an emergency grant (a listed reason and what happened): an hour on one
    person's whole file, outside their network or the special categories within it."""
    return principal.role == "head_of_centre"
