"""What a national data set is made of: the network (centres, mobile units, staff) and, for each
person, the commands a centre would send over the years, decided by the services' own deciders.
Plain Python: deterministic per person (the same index gives the same person on every run), so a
load can stop and resume chunk by chunk."""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from stdnum import luhn
from stdnum.gr import vat

from contracts.directory import NEEDS
from contracts.geography import municipalities
from contracts.intake import EXIT_SITUATIONS, SERVICES
from contracts.vocabulary import VULNERABLE_GROUPS
from services.common.domain import DomainEvent
from services.common.eventstore import Metadata, stream_name
from services.intake.domain import action_plan, case
from services.referrals.domain import referral
from services.registries.domain import beneficiary, network

FIRST_DAY, LAST_DAY = date(2024, 1, 8), date(2026, 11, 27)  # the funding period so far
CENTRES, MOBILE_UNITS, STAFF_PER_SITE = 240, 60, 6
GIVEN = (
    "Γιώργος Μαρία Νίκος Ελένη Κώστας Αικατερίνη Γιάννης Βασιλική Δημήτρης Σοφία Παναγιώτης"
    " Αναστασία Βασίλης Ευαγγελία Χρήστος Ιωάννα Θανάσης Δήμητρα Μιχάλης Γεωργία Σπύρος Ειρήνη"
    " Ευάγγελος Παρασκευή Αντώνης Χριστίνα Ηλίας Αγγελική Στέλιος Φωτεινή Ahmad Fatima Ali Amina"
    " Samir Leila Omar Zahra Ivan Olena"
).split()
ROOTS = (
    "Παπαδ Γεωργ Νικολ Οικον Αλεξ Κωνσταντιν Δημητρ Ιωανν Μιχαηλ Βασιλ Αθανασ Χριστ Σταυρ"
    " Πετρ Αντων Καραγιαν Μαυρ Λαμπρ Τσακ Αναστασ Παναγ Ζαχαρ Σπυρ Θεοδωρ Αγγελ Μαρκ Φωτ"
    " Καλογερ Μπακ Ραπτ Χατζ Σαββ Ευαγγελ Μουρτζ Κουτσ Πολυχρον Σιδηρ Τριανταφυλλ Ξενακ Λιαπ"
).split()
ENDINGS = ("όπουλος", "ίου", "άκης", "άτος", "ίδης", "έας", "ιάδης", "άρας")
CHANNELS_AT_CENTRE = ("centre", "centre", "centre", "phone", "home_visit")


@dataclass(frozen=True)
class Site:
    code: str
    municipality: str  # a centre's lead municipality
    serves: tuple[str, ...]  # the municipalities its people live in
    staff: tuple[str, ...]
    mobile: bool = False


@dataclass
class Person:
    """Everything one person's history appends, by store: (stream, [(DomainEvent, Metadata,
    recorded_at)])."""

    beneficiary_id: uuid.UUID
    index: int
    streams: dict[str, list[tuple[str, list]]] = field(default_factory=dict)
    erased: bool = False

    def on(self, store: str, stream: str) -> list:
        for name, events in self.streams.setdefault(store, []):
            if name == stream:
                return events
        events: list = []
        self.streams[store].append((stream, events))
        return events


def network_sites(seed: int = 17) -> list[Site]:
    """240 centres spread over the municipalities by population, 60 mobile units each visiting up
    to three municipalities of its centre's regional unit, six staff at every site."""
    rng = random.Random(seed)
    places = sorted(municipalities().values(), key=lambda m: m.code)
    weights = [m.population_2021 or 1 for m in places]
    sites: list[Site] = []
    for n in range(CENTRES):
        m = places[n] if n < len(places) else rng.choices(places, weights)[0]
        code = f"KK-{m.name_en.upper().replace(' ', '-')}-{n + 1}"
        sites.append(Site(code, m.code, (m.code,), _staff(code)))
    for n in range(MOBILE_UNITS):
        centre = sites[rng.randrange(CENTRES)]
        unit = municipalities()[centre.municipality].regional_unit
        near = [m.code for m in places if m.regional_unit == unit]
        serves = tuple(sorted(rng.sample(near, min(3, len(near)))))
        code = f"MU-{centre.code[3:]}-{n + 1}"
        sites.append(Site(code, centre.code, serves, _staff(code), mobile=True))
    return sites


def _staff(site: str) -> tuple[str, ...]:
    return tuple(f"sw-{site.lower()}-{k}" for k in range(STAFF_PER_SITE))


def network_commands(sites: list[Site]) -> Iterator[tuple[str, object, Metadata]]:
    """("centre" | "mobile_unit" | "staff", command, metadata) in the order the registry takes them."""
    admin = Metadata("national-admin", "KK-NATIONAL")
    roles = sorted(network.SCIENTISTS)
    for s in sites:
        if s.mobile:
            yield (
                "mobile_unit",
                network.RegisterMobileUnit(
                    s.code, f"Κινητή Μονάδα {s.code}", s.municipality, list(s.serves)
                ),
                admin,
            )
        else:
            m = municipalities()[s.municipality]
            yield (
                "centre",
                network.RegisterCentre(
                    s.code,
                    f"Κέντρο Κοινότητας {m.name_el} {s.code.rsplit('-', 1)[1]}",
                    m.code,
                    m.regional_unit,
                    expanded=s.code.endswith(("-1", "-2")),
                    operation_mis=f"6{zlib.crc32(s.code.encode()) % 10**5:05d}",
                    period_start=date(2024, 1, 1),
                    period_end=date(2029, 12, 31),
                    budget_eur=Decimal("480000"),
                    target_new_beneficiaries=4200,
                ),
                admin,
            )
        for k, staff in enumerate(s.staff):
            yield (
                "staff",
                network.AssignStaffMember(
                    staff, f"Εργαζόμενος {k + 1}", roles[k % len(roles)], s.code, date(2024, 1, 2)
                ),
                admin,
            )


def person(index: int, sites: list[Site], contacts_mean: float, seed: int = 17) -> Person:
    """One beneficiary's history: registered once, met again and again (the bulk), served,
    assessed, planned, referred, consenting, sometimes transferred, closed, followed up, or erased."""
    rng = random.Random(seed * 1_000_003 + index)
    p = Person(uuid.UUID(int=rng.getrandbits(128), version=4), index)
    bid = p.beneficiary_id
    home = sites[rng.randrange(len(sites))]
    lives_in = rng.choice(home.serves)
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days - 30))
    clock = _Clock(rng, day)

    given, family = rng.choice(GIVEN), rng.choice(ROOTS) + rng.choice(ENDINGS)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    register = beneficiary.RegisterBeneficiary(
        bid,
        given,
        family,
        lives_in,
        home.code,
        birth_date=birth,
        amka=_amka(index),
        phone=f"69{rng.randrange(10**8):08d}" if rng.random() < 0.7 else None,
        afm=f"{index:08d}" + vat.calc_check_digit(f"{index:08d}") if rng.random() < 0.5 else None,
        gender=rng.choice(("woman", "man")),
    )
    registry = p.on("registries", stream_name(beneficiary.CATEGORY, bid))
    _decide(registry, beneficiary, register, _meta(rng, home), clock.now())

    intake = p.on("intake", stream_name(case.CATEGORY, bid))
    state = case.initial

    def record(command, site: Site, when: datetime) -> None:
        nonlocal state
        for e in case.decide(command, state):
            state = case.evolve(state, _Decided(e))
            intake.append((e, _meta(rng, site, when), when))

    contacts = max(1, round(rng.expovariate(1 / contacts_mean)))
    assessed = rng.random() < 0.6
    planned = assessed and rng.random() < 0.5
    consent = rng.random() < 0.4
    refers = rng.random() < 0.08
    plan_id, steps = uuid.UUID(int=rng.getrandbits(128), version=4), 0
    for n in range(contacts):
        when = clock.later()
        site = home if rng.random() < 0.95 else sites[rng.randrange(len(sites))]
        record(_contact(rng, bid, site, lives_in, when), site, when)
        if rng.random() < 0.25:
            record(
                case.RecordService(
                    bid, when.date(), rng.choice(SERVICES), site.code, rng.choice(site.staff)
                ),
                site,
                when,
            )
        if n == 0 and consent:
            record(
                case.RecordConsent(bid, home.code, "ενημέρωση και παραπομπές", when.date()),
                home,
                when,
            )
        if n == 0 and assessed:
            record(_assessment(rng, bid, when.date()), home, when)
        if n == 0 and planned:
            record(
                action_plan.OpenActionPlan(bid, plan_id, "εύρεση εργασίας και στέγης", when.date()),
                home,
                when,
            )
        if planned and 0 < n <= 3:
            steps += 1
            record(
                action_plan.AddActionStep(
                    bid,
                    plan_id,
                    f"s{steps}",
                    "αίτηση στο πρόγραμμα",
                    when.date() + timedelta(days=30),
                ),
                home,
                when,
            )
        if planned and steps > 1 and n == 4:
            record(action_plan.MarkStepDone(bid, plan_id, "s1", when.date()), home, when)
    if rng.random() < 0.01:
        when = clock.later()
        to = sites[rng.randrange(CENTRES)]
        if to.code != (state.site or home.code):
            record(case.TransferCase(bid, to.code, "μετακόμιση", when.date()), home, when)
    if planned:
        when = clock.later()
        record(action_plan.CloseActionPlan(bid, plan_id, "ολοκληρώθηκε", when.date()), home, when)
    if consent and rng.random() < 0.1:
        when = clock.later()
        record(case.WithdrawConsent(bid, home.code, when.date()), home, when)
    if rng.random() < 0.2:
        when = clock.later()
        record(
            case.CloseCase(bid, "ολοκλήρωση", when.date(), rng.choice(EXIT_SITUATIONS)), home, when
        )
        if rng.random() < 0.5:
            when = clock.later(days=180)
            record(
                case.RecordFollowUp(bid, when.date(), rng.random() < 0.3, rng.random() < 0.5),
                home,
                when,
            )
    if refers:
        _referral(p, rng, home, sites, clock)
    if rng.random() < 0.001:
        p.erased = True
        _decide(
            registry,
            beneficiary,
            beneficiary.ErasePersonalData(bid, "αίτημα διαγραφής (άρθρο 17)", "dpo-national"),
            Metadata("dpo-national", home.code),
            clock.later(),
            beneficiary.Beneficiary(registered=True),
        )
    return p


def _referral(p: Person, rng: random.Random, home: Site, sites: list[Site], clock) -> None:
    rid, bid = uuid.UUID(int=rng.getrandbits(128), version=4), p.beneficiary_id
    to = sites[rng.randrange(CENTRES)]
    by = rng.choice(home.staff)
    stream = p.on("referrals", stream_name(referral.CATEGORY, rid))
    state = referral.initial
    asked, answered, done = clock.later(), clock.later(days=5), clock.later(days=20)
    steps: list = [
        (
            referral.RequestReferral(
                rid,
                bid,
                home.code,
                rng.choice(NEEDS),
                "centre",
                to.code,
                "Κέντρο Κοινότητας",
                False,
                asked.date(),
                by,
            ),
            asked,
        ),
        (referral.SendReferral(rid, bid, asked.date(), by), asked),
    ]
    if rng.random() < 0.9:
        steps.append(
            (referral.AcknowledgeReferral(rid, bid, answered.date(), to.staff[0]), answered)
        )
        if rng.random() < 0.8:
            steps.append(
                (referral.AcceptReferral(rid, bid, answered.date(), to.staff[0]), answered)
            )
            if rng.random() < 0.6:
                steps.append(
                    (
                        referral.CompleteReferral(
                            rid, bid, done.date(), to.staff[0], "service_given"
                        ),
                        done,
                    )
                )
        else:
            steps.append(
                (
                    referral.RejectReferral(
                        rid, bid, answered.date(), to.staff[0], "εκτός αρμοδιότητας"
                    ),
                    answered,
                )
            )
    for command, when in steps:
        site = home if command.by == by else to
        for e in referral.decide(command, state):
            state = referral.evolve(state, _Decided(e))
            stream.append((e, Metadata(command.by, site.code), when))


class _Decided:
    """A decided event as the referral decider's `evolve` reads a stored one (`data`)."""

    def __init__(self, event: DomainEvent):
        self.type = event.type
        self.data = {
            k: v.isoformat() if isinstance(v, date) else v for k, v in event.payload.items()
        }


def _amka(index: int) -> str:
    """Eleven digits, the last a Luhn check: one number per person of the data set."""
    base = f"{index:010d}"
    return base + luhn.calc_check_digit(base)


def _decide(stream: list, decider, command, metadata: Metadata, when: datetime, state=None):
    for e in decider.decide(command, decider.initial if state is None else state):
        stream.append((e, metadata, when))


def _contact(rng, bid, site: Site, lives_in: str, when: datetime) -> case.RecordContact:
    mobile = site.mobile
    return case.RecordContact(
        bid,
        when.date(),
        "mobile_unit_visit" if mobile else rng.choice(CHANNELS_AT_CENTRE),
        site.code,
        rng.choice(site.serves) if mobile else lives_in,
        rng.choice(site.staff),
        notes="Συζήτηση για το Ελάχιστο Εγγυημένο Εισόδημα" if rng.random() < 0.1 else None,
        served_municipalities=frozenset(site.serves) if mobile else None,
    )


def _assessment(rng, bid, on: date) -> action_plan.RecordNeedsAssessment:
    return action_plan.RecordNeedsAssessment(
        bid,
        on,
        tuple(rng.sample(VULNERABLE_GROUPS, rng.randrange(1, 3))),
        tuple(rng.sample(NEEDS, rng.randrange(1, 4))),
        rng.randrange(1, 7),
        rng.choice(action_plan.LABOUR_STATUS),
        rng.choice(action_plan.ISCED),
        rng.random() < 0.1,
        rng.choice(("GR", "GR", "GR", "AL", "SY", "AF", "UA")),
        rng.random() < 0.2,
        rng.choice(("owned", "rented", "homeless", "shelter")),
        rng.random() < 0.3,
    )


def _meta(rng, site: Site, when: datetime | None = None) -> Metadata:
    """A mobile unit syncs its visits later: the time it happened travels with the event."""
    occurred = when.isoformat() if site.mobile and when else None
    return Metadata(rng.choice(site.staff), site.code, occurred_at=occurred)


class _Clock:
    """A person's days at the centres, in order, never after the last day of the period."""

    def __init__(self, rng: random.Random, start: date):
        self.rng = rng
        self.at = datetime(start.year, start.month, start.day, 9, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def later(self, days: int | None = None) -> datetime:
        step = timedelta(days=days or self.rng.randrange(1, 40), minutes=self.rng.randrange(480))
        last = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 17, tzinfo=UTC)
        self.at = min(self.at + step, last)
        return self.at
