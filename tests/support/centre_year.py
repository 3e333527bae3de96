"""A year of two centres in the source stores, for the disclosure attack: the Kalamata and Sparti
centres with their mobile units, ESF+ participants who entered in 2025 (a few not stating a gender,
one of them Roma, disabled, over 55, ISCED 0-2 and unemployed, as in issue 13's finding), and
October 2025's registrations, contacts, services and referrals. Seeded: the same figures every run."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from services.common.eventstore import ANY_VERSION, Metadata, NewEvent

CENTRES = {
    "KALAMATA": ("9254", ["9254", "9256", "9258", "9255"], 60),
    "SPARTI": ("9252", ["9252", "9250", "9249"], 30),
}
CHANNELS = ("centre", "mobile_unit_visit", "home_visit", "phone")
SERVICES = ("information", "psychosocial_counselling", "goods_distributed", "vocational_guidance")
RECIPIENTS = (("agency-dypa", "ΔΥΠΑ", "employment"), ("agency-shelter", "Ξενώνας", "shelter"))
THE_ONE = {  # the participant the finding singled out
    "gender": None,
    "born": date(1966, 5, 1),
    "labour_status": "unemployed",
    "education": "0-2",
    "groups": ["roma"],
    "disability": True,
}


def _event(store, stream, type_, site, day: date, data, personal=None, subject=None):
    store.append(
        stream,
        ANY_VERSION,
        [
            NewEvent(
                type_,
                data,
                personal=personal,
                subject_id=uuid.UUID(subject) if subject and personal else None,
            )
        ],
        Metadata("tester", site, occurred_at=f"{day.isoformat()}T10:00:00+02:00"),
    )


def network(stores) -> None:
    reg = stores["registries"]
    for name, (lead, _, _) in CENTRES.items():
        _event(
            reg,
            f"site-kk-{name}",
            "CentreRegistered",
            f"KK-{name}",
            date(2024, 1, 2),
            {
                "site": f"KK-{name}",
                "operation_mis": "5000005" if name == "KALAMATA" else "5000004",
                "lead_municipality_code": lead,
                "period_start": "2024-01-01",
                "period_end": "2026-12-31",
                "target_new_beneficiaries": 900,
            },
        )
        _event(
            reg,
            f"site-mu-{name}",
            "MobileUnitRegistered",
            f"KK-{name}",
            date(2024, 1, 2),
            {"site": f"MU-{name}", "parent_centre": f"KK-{name}", "partner_municipalities": []},
        )


def participant(stores, rng, centre: str, homes: list[str], day: date, **fixed) -> str:
    reg, intake = stores["registries"], stores["intake"]
    p = str(uuid.uuid4())
    site = rng.choice([f"KK-{centre}", f"MU-{centre}"])
    gender = fixed.get(
        "gender", rng.choices(["woman", "man", "non_binary", None], [46, 46, 2, 6])[0]
    )
    born = fixed.get("born", date(rng.randint(1945, 2010), rng.randint(1, 12), 1))
    personal = {"given_name": "Α", "family_name": "Β", "birth_date": born.isoformat()}
    if gender:
        personal["gender"] = gender
    _event(
        reg,
        f"beneficiary-{p}",
        "BeneficiaryRegistered",
        site,
        day,
        {"beneficiary_id": p, "municipality_code": rng.choice(homes), "site": site},
        personal,
        p,
    )
    groups = fixed.get("groups", [g for g in ("roma", "homeless") if rng.random() < 0.12])
    _event(
        intake,
        f"case-{p}",
        "NeedsAssessed",
        site,
        day,
        {"beneficiary_id": p, "assessed_on": day.isoformat()},
        {
            "groups": groups,
            "needs": ["εργασία"],
            "household_size": 2,
            "labour_status": fixed.get(
                "labour_status",
                rng.choice(["unemployed", "long_term_unemployed", "inactive", "employed"]),
            ),
            "education": fixed.get("education", rng.choice(["0-2", "3-4", "5-8"])),
            "disability": fixed.get("disability", rng.random() < 0.1),
            "citizenship": rng.choice(["GR"] * 8 + ["AL", "SY"]),
            "foreign_background": rng.random() < 0.15,
            "housing": "ενοίκιο",
            "rural": rng.random() < 0.3,
        },
        p,
    )
    if rng.random() < 0.3:
        left = day + timedelta(days=40)
        _event(
            intake,
            f"case-{p}",
            "CaseClosed",
            site,
            left,
            {"beneficiary_id": p, "closed_on": left.isoformat()},
            {
                "reason": "τέλος",
                "situation_at_exit": rng.choice(
                    ["job_searching", "employed", "in_education_or_training", "none_of_these"]
                ),
            },
            p,
        )
    return p


def a_year(stores, seed: int = 13) -> dict:
    """The network, 2025's participants (October's among them) and October's activity."""
    rng = random.Random(seed)
    network(stores)
    people: dict[str, list[str]] = {}
    for centre, (_, homes, n) in CENTRES.items():
        people[centre] = []
        for i in range(n):
            day = (
                date(2025, 10, rng.randint(1, 31))
                if i % 3 == 0
                else date(2025, rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]), rng.randint(1, 28))
            )
            people[centre].append(participant(stores, rng, centre, homes, day))
    the_one = participant(stores, rng, "KALAMATA", ["9254"], date(2025, 10, 7), **THE_ONE)
    intake, ref = stores["intake"], stores["referrals"]
    for centre, (_, homes, _) in CENTRES.items():
        for k in range(70 if centre == "KALAMATA" else 25):
            who = rng.choice(people[centre])
            site = rng.choice([f"KK-{centre}", f"MU-{centre}"])
            day = date(2025, 10, rng.randint(1, 31))
            _event(
                intake,
                f"case-{who}",
                "ContactRecorded",
                site,
                day,
                {
                    "beneficiary_id": who,
                    "channel": rng.choice(CHANNELS),
                    "municipality_code": rng.choice(homes),
                    "site": site,
                    "staff_id": f"s{k % 4}",
                },
            )
            if rng.random() < 0.5:
                _event(
                    intake,
                    f"case-{who}",
                    "ServiceDelivered",
                    site,
                    day,
                    {
                        "beneficiary_id": who,
                        "service": rng.choice(SERVICES),
                        "site": site,
                        "staff_id": f"s{k % 4}",
                    },
                )
        for _ in range(12 if centre == "KALAMATA" else 6):
            r, who = str(uuid.uuid4()), rng.choice(people[centre])
            recipient, name, need = rng.choice(RECIPIENTS)
            site = rng.choice([f"KK-{centre}", f"MU-{centre}"])
            sent = date(2025, 10, rng.randint(1, 25))
            _event(
                ref,
                f"referral-{r}",
                "ReferralRequested",
                site,
                sent,
                {
                    "referral_id": r,
                    "beneficiary_id": who,
                    "from_site": site,
                    "recipient_kind": "agency",
                    "recipient_id": recipient,
                    "recipient_name": name,
                    "need": need,
                },
            )
            _event(
                ref,
                f"referral-{r}",
                "ReferralSent",
                site,
                sent,
                {"referral_id": r, "sent_on": sent.isoformat()},
            )
            answer = rng.choice(["accepted", "rejected", None])
            if answer:
                on = sent + timedelta(days=rng.randint(1, 6))
                kind = "ReferralAccepted" if answer == "accepted" else "ReferralRejected"
                field = "accepted_on" if answer == "accepted" else "rejected_on"
                extra = {} if answer == "accepted" else {"reason": "εκτός κριτηρίων"}
                _event(
                    ref,
                    f"referral-{r}",
                    kind,
                    "KK-REGION",
                    on,
                    {"referral_id": r, field: on.isoformat(), **extra},
                )
    return {"people": people, "the_one": the_one}
