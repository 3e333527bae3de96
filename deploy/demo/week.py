"""A realistic working week of the Kalamata centre and its mobile unit, sent through the services'
own RPCs: fictional people (valid AMKA check digits, Greek names), registrations at the centre
and by the mobile unit in the partner municipalities, contacts, services, consents, needs
assessments and referrals to the demo directory's agencies, answered as agencies do. The local
runner's ready block (deploy/local/ready.py) then runs the consistency check.

Every command id comes from a fixed seed: running it again stores nothing new.

    python -m deploy.demo.week [--people 400]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid
from datetime import date, timedelta

from stdnum import luhn

from contracts.geography import in_regional_unit

NS = uuid.UUID("8a1c3e5f-0d2b-4c6a-9e7f-1b3d5a7c9e0f")
GIVEN = [
    "Γιώργος",
    "Μαρία",
    "Νίκος",
    "Ελένη",
    "Δημήτρης",
    "Αικατερίνη",
    "Κώστας",
    "Σοφία",
    "Παναγιώτης",
    "Βασιλική",
    "Ιωάννης",
    "Αναστασία",
    "Χρήστος",
    "Δέσποινα",
    "Αθανάσιος",
    "Ευαγγελία",
    "Μιχάλης",
    "Παρασκευή",
]
FAMILY = [
    "Παπαδόπουλος",
    "Γεωργίου",
    "Οικονόμου",
    "Αθανασίου",
    "Καραγιάννης",
    "Δημητρίου",
    "Νικολάου",
    "Σταύρου",
    "Μαυρέας",
    "Λάμπρου",
    "Χριστοδούλου",
    "Πετρόπουλος",
    "Κωνσταντίνου",
    "Αλεξίου",
    "Ζαχαρίου",
    "Τσάκωνας",
]
FEMININE = {
    "Παπαδόπουλος": "Παπαδοπούλου",
    "Καραγιάννης": "Καραγιάννη",
    "Μαυρέας": "Μαυρέα",
    "Πετρόπουλος": "Πετροπούλου",
    "Τσάκωνας": "Τσάκωνα",
}
SERVICES = [
    "information",
    "minimum_income_application",
    "psychosocial_counselling",
    "learning_support",
    "goods_distributed",
    "legal_information",
]
GROUPS = [
    "poverty",
    "minimum_income",
    "roma",
    "long_term_unemployed",
    "disability",
    "elderly",
    "homeless",
    "third_country_national",
]
DYPA = "3b869f7f-791a-570a-80d9-123275cd65cc"
CENTRE, UNIT, LEAD = "KK-KALAMATA", "MU-KALAMATA", "9254"
STAFF = {
    CENTRE: ["kalamata.social1", "kalamata.psychologist2"],
    UNIT: ["kalamata.social4", "kalamata.social5"],
}


def amka(rng: random.Random, born: date) -> str:
    body = f"{born:%d%m%y}{rng.randrange(10_000):04d}"
    return body + luhn.calc_check_digit(body)


def person(rng: random.Random, i: int, week_start: date) -> dict:
    woman = rng.random() < 0.55
    family = rng.choice(FAMILY)
    given = rng.choice([g for g in GIVEN if (g[-1] in "αηή") == woman] or GIVEN)
    born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 60))
    at_unit = rng.random() < 0.5  # half are met by the mobile unit in the partner municipalities
    home = rng.choice([m for m in in_regional_unit("messinia") if m != LEAD]) if at_unit else LEAD
    return {
        "id": str(uuid.uuid5(NS, f"person-{i}")),
        "given_name": given,
        "family_name": FEMININE.get(family, family) if woman else family,
        "birth_date": born.isoformat(),
        "gender": "woman" if woman else "man",
        "amka": amka(rng, born)
        if rng.random() < 0.85
        else None,  # some have no AMKA (refugees, homeless)
        "municipality_code": home,
        "site": UNIT if at_unit else CENTRE,
        "day": week_start + timedelta(days=rng.randrange(5)),
    }


class Week:
    def __init__(self, cluster, people: int, week_start: date, seed: int = 2026):
        self.cluster, self.rng, self.week_start = cluster, random.Random(seed), week_start
        self.people = [person(self.rng, i, week_start) for i in range(people)]
        self.stored = 0

    def _id(self, *parts) -> str:
        return str(uuid.uuid5(NS, ":".join(map(str, parts))))

    def _send(
        self, service: str, method: str, command: dict, site: str, actor: str, when: date
    ) -> dict | None:
        context = {
            "actor": actor,
            "site": site,
            "occurred_at": f"{when.isoformat()}T{self.rng.randrange(8, 15):02d}:"
            f"{self.rng.randrange(60):02d}:00+02:00",
        }
        try:
            answer = getattr(getattr(self.cluster, service), method)(command, context)
        except Exception as exc:  # a refused command is part of a real week too; say it and go on
            print(f"demo: {method} refused: {exc}", file=sys.stderr)
            return None
        self.stored += 0 if answer.get("duplicate") else len(answer.get("events", []))
        return answer

    def run(self) -> int:
        for i, p in enumerate(self.people):
            self.one(i, p)
        return self.stored

    def one(self, i: int, p: dict) -> None:
        staff = self.rng.choice(STAFF[p["site"]])
        registered = self._send(
            "registries",
            "register_beneficiary",
            {
                "command_id": self._id("register", i),
                "beneficiary_id": p["id"],
                **{
                    k: p[k]
                    for k in (
                        "given_name",
                        "family_name",
                        "birth_date",
                        "amka",
                        "municipality_code",
                        "site",
                        "gender",
                    )
                },
            },
            p["site"],
            staff,
            p["day"],
        )
        if registered is None:
            return
        beneficiary = registered["stream"].split("-", 1)[1]
        version = self._case_version(beneficiary)
        steps = [
            (
                "record_contact",
                {
                    "occurred_on": p["day"].isoformat(),
                    "site": p["site"],
                    "staff_id": staff,
                    "channel": "mobile_unit_visit" if p["site"] == UNIT else "centre",
                    "municipality_code": p["municipality_code"],
                },
            )
        ]
        for _ in range(self.rng.randrange(1, 4)):
            steps.append(
                (
                    "record_service",
                    {
                        "occurred_on": p["day"].isoformat(),
                        "site": p["site"],
                        "staff_id": staff,
                        "service": self.rng.choice(SERVICES),
                    },
                )
            )
        needs_work = self.rng.random() < 0.4
        if needs_work:
            steps.append(
                (
                    "record_consent",
                    {
                        "recipient": DYPA,
                        "purpose": "παραπομπή για απασχόληση",
                        "given_on": p["day"].isoformat(),
                    },
                )
            )
        if self.rng.random() < 0.3:
            steps.append(
                (
                    "record_needs_assessment",
                    {
                        "assessed_on": p["day"].isoformat(),
                        "groups": self.rng.sample(GROUPS, 2),
                        "needs": ["εργασία"],
                        "household_size": self.rng.randrange(1, 7),
                        "education": self.rng.choice(["0-2", "3-4", "5-8"]),
                        "labour_status": self.rng.choice(
                            ["unemployed", "long_term_unemployed", "inactive", "employed"]
                        ),
                        "disability": self.rng.random() < 0.15,
                        "citizenship": "GR",
                        "foreign_background": False,
                        "housing": "ενοίκιο",
                        "rural": p["site"] == UNIT,
                    },
                )
            )
        for n, (method, fields) in enumerate(steps):
            answer = self._send(
                "intake",
                method,
                {
                    "command_id": self._id(method, i, n),
                    "beneficiary_id": beneficiary,
                    "expected_version": version,
                    **fields,
                },
                p["site"],
                staff,
                p["day"],
            )
            version = (
                answer["version"]
                if answer and answer["version"] is not None
                else self._case_version(beneficiary)
            )
        if needs_work:
            self.refer(i, beneficiary, p, staff)

    def refer(self, i: int, beneficiary: str, p: dict, staff: str) -> None:
        referral = self._id("referral", i)
        sent_on = p["day"]
        steps = [
            (
                "request_referral",
                {
                    "from_site": p["site"],
                    "need": "employment",
                    "recipient_kind": "agency",
                    "recipient_id": DYPA,
                    "recipient_name": "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας",
                    "shares_personal_data": True,
                    "requested_on": sent_on.isoformat(),
                    "by": staff,
                },
                p["site"],
                staff,
            ),
            ("send_referral", {"sent_on": sent_on.isoformat(), "by": staff}, p["site"], staff),
        ]
        answer = self.rng.random()
        officer, answered = "dypa.kalamata", sent_on + timedelta(days=self.rng.randrange(0, 3))
        if answer < 0.8:
            steps.append(
                (
                    "acknowledge_referral",
                    {"received_on": answered.isoformat(), "by": officer},
                    CENTRE,
                    officer,
                )
            )
        if answer < 0.6:
            steps.append(
                (
                    "accept_referral",
                    {"accepted_on": answered.isoformat(), "by": officer},
                    CENTRE,
                    officer,
                )
            )
            if answer < 0.4:
                steps.append(
                    (
                        "complete_referral",
                        {
                            "completed_on": (answered + timedelta(days=2)).isoformat(),
                            "by": officer,
                            "outcome": "service_given",
                        },
                        CENTRE,
                        officer,
                    )
                )
        elif answer < 0.8:
            steps.append(
                (
                    "reject_referral",
                    {
                        "rejected_on": answered.isoformat(),
                        "by": officer,
                        "reason": "δεν πληροί τα κριτήρια ηλικίας",
                    },
                    CENTRE,
                    officer,
                )
            )
        for version, (method, fields, site, actor) in enumerate(steps):
            self._send(
                "referrals",
                method,
                {
                    "command_id": self._id(method, i),
                    "referral_id": referral,
                    "beneficiary_id": beneficiary,
                    "expected_version": version,
                    **fields,
                },
                site,
                actor,
                sent_on,
            )

    def _case_version(self, beneficiary: str) -> int:
        return self.cluster.intake.case_version(beneficiary)


def main(argv: list[str] | None = None) -> int:
    from services.common.config import Settings
    from services.common.nameko_support import wait_until_answering
    from services.common.rpc_client import cluster_rpc

    parser = argparse.ArgumentParser(prog="python -m deploy.demo.week")
    parser.add_argument(
        "--people", type=int, default=int(os.environ.get("KENTRA_DEMO_PEOPLE", 400))
    )
    args = parser.parse_args(argv)
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 7)  # last week, Monday to Friday
    amqp_uri = Settings.from_env().amqp_uri
    wait_until_answering(
        amqp_uri,
        ["registries", "intake", "referrals", "reporting"],
        say=lambda text: print(f"demo: {text}", flush=True),
    )
    with cluster_rpc(amqp_uri, timeout=60) as cluster:
        if cluster.registries.agency(DYPA) is None:
            print("demo: the demo directory is not there: run the seed step first", file=sys.stderr)
            return 1
        stored = Week(cluster, args.people, monday).run()
        print(
            f"demo: a week of the Kalamata centre and its mobile unit, {args.people} people, {stored} new events"
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())
