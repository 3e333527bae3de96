"""The demo network: the Regional Social Portal's five expanded centres, one per regional unit of
the Peloponnese, each with a mobile unit serving the rest of its regional unit, and their staff;
and a demo directory of agencies and programmes (deploy/demo/directory, an HSDS 3.0 package).
MIS codes, budgets, targets and agencies' details are invented for the demo; places and
populations are real.

    python -m deploy.demo.seed      # idempotent: every command has a fixed command_id
"""

from __future__ import annotations

import sys
from pathlib import Path

from contracts.geography import in_regional_unit, known_municipality

CONTEXT = {"actor": "seed", "site": "KK-KALAMATA"}
DEMO_DIRECTORY = Path(__file__).resolve().parent / "directory"
LEADS = {
    "argolida": ("ARGOS", "9233"),
    "arcadia": ("TRIPOLI", "9241"),
    "corinthia": ("KORINTHOS", "9243"),
    "laconia": ("SPARTI", "9252"),
    "messinia": ("KALAMATA", "9254"),
}
# Kalamata: "five scientists and a driver" (domain.md); the others a smaller demo crew
CREWS = {
    "KALAMATA": [
        ("KK", "social_worker"),
        ("KK", "psychologist"),
        ("KK", "social_scientist"),
        ("MU", "social_scientist"),
        ("MU", "social_scientist"),
        ("MU", "driver"),
    ],
    "default": [
        ("KK", "social_worker"),
        ("KK", "psychologist"),
        ("MU", "social_scientist"),
        ("MU", "social_scientist"),
        ("MU", "driver"),
    ],
}

# a demo staff member's name: their job in Greek, as a centre would call them (never the role's code)
TITLES = {
    "social_worker": "Κοινωνική λειτουργός",
    "psychologist": "Ψυχολόγος",
    "social_scientist": "Κοινωνική επιστήμονας",
    "driver": "Οδηγός",
}


def demo_commands() -> list[tuple[str, dict]]:
    """(rpc method, command) in the order they must run: centres, then mobile units, then staff."""
    commands = []
    for n, (unit, (name, lead)) in enumerate(sorted(LEADS.items()), start=1):
        town = known_municipality(lead).name_el
        commands.append(
            (
                "register_centre",
                {
                    "command_id": f"seed-centre-{name}",
                    "site": f"KK-{name}",
                    "name": f"Διευρυμένο Κέντρο Κοινότητας {town}",
                    "lead_municipality_code": lead,
                    "regional_unit": unit,
                    "expanded": True,
                    "operation_mis": f"50{n:05d}",
                    "period_start": "2024-01-01",
                    "period_end": "2026-12-31",
                    "budget_eur": "480000.00",
                    "target_new_beneficiaries": 900,
                },
            )
        )
        commands.append(
            (
                "register_mobile_unit",
                {
                    "command_id": f"seed-mu-{name}",
                    "site": f"MU-{name}",
                    "name": f"Κινητή Μονάδα {town}",
                    "parent_centre": f"KK-{name}",
                    "partner_municipalities": [c for c in in_regional_unit(unit) if c != lead],
                },
            )
        )
        for i, (kind, role) in enumerate(CREWS.get(name, CREWS["default"]), start=1):
            staff_id = f"{name.lower()}.{role.split('_')[0]}{i}"
            commands.append(
                (
                    "assign_staff_member",
                    {
                        "command_id": f"seed-staff-{staff_id}",
                        "staff_id": staff_id,
                        "name": f"{TITLES[role]} {i} ({town})",
                        "role": role,
                        "site": f"{kind}-{name}",
                        "since": "2024-01-01",
                    },
                )
            )
    return commands


def seed_network(registries) -> int:
    """Send the demo network through the registries' own RPCs; returns how many events were new."""
    new = 0
    for method, command in demo_commands():
        answer = getattr(registries, method)(command, CONTEXT)
        new += (
            0 if answer["duplicate"] else len(answer["events"])
        )  # a retry answers with the earlier events
    return new


def demo_directory() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(DEMO_DIRECTORY.iterdir())}


def main() -> int:
    from services.common.config import Settings
    from services.common.nameko_support import wait_until_answering
    from services.common.rpc_client import cluster_rpc

    amqp_uri = Settings.from_env().amqp_uri
    wait_until_answering(
        amqp_uri, ["registries"], say=lambda text: print(f"seed: {text}", flush=True)
    )
    with cluster_rpc(amqp_uri, timeout=60) as cluster:
        print(f"seed: {seed_network(cluster.registries)} new events in the network")
        print(f"seed: directory {cluster.registries.import_hsds(demo_directory(), CONTEXT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
