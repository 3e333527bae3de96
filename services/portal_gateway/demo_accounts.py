"""Accounts for the demo network, one per role, all with the password `kentra-demo` (a demo only:
real accounts are added one by one with `add`).

    python -m services.portal_gateway.demo_accounts              # the demo accounts (idempotent)
    python -m services.portal_gateway.demo_accounts add USERNAME ROLE [--site KK-…] [--agency UUID]
"""
from __future__ import annotations

import argparse
import getpass
import sys

from services.common.config import Settings
from services.common.runtime import build_store
from services.portal_gateway.access import ROLES
from services.portal_gateway.accounts import Accounts

DEMO_PASSWORD = "kentra-demo"
DYPA_KALAMATA = "3b869f7f-791a-570a-80d9-123275cd65cc"  # deploy/demo/directory
DEMO = [  # username, role, site, agency, display name: the staff logins are the registry's staff ids (seed)
    ("kalamata.social4", "case_worker", "MU-KALAMATA", None, "Κοινωνική επιστήμονας, Κινητή Μονάδα Καλαμάτας"),
    ("kalamata.social1", "case_worker", "KK-KALAMATA", None, "Κοινωνική λειτουργός, ΚΚ Καλαμάτας"),
    ("kalamata.head", "head_of_centre", "KK-KALAMATA", None, "Υπεύθυνη ΚΚ Καλαμάτας"),
    ("sparti.social1", "case_worker", "KK-SPARTI", None, "Κοινωνικός λειτουργός, ΚΚ Σπάρτης"),
    ("dypa.kalamata", "agency_officer", None, DYPA_KALAMATA, "ΔΥΠΑ Καλαμάτας"),
    ("coordinator", "regional_coordinator", None, None, "Περιφερειακή Κοινωνική Πύλη"),
    ("dpo", "dpo", None, None, "Υπεύθυνος Προστασίας Δεδομένων"),
    ("ops", "ops", None, None, "Ops"),
]


def accounts() -> Accounts:
    from services.portal_gateway.entrypoints.service import MIGRATIONS

    _, db = build_store(Settings.from_env(), "portal_gateway", extra_migrations=MIGRATIONS, max_connections=1)
    return Accounts(db)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.portal_gateway.demo_accounts")
    sub = parser.add_subparsers(dest="action")
    add = sub.add_parser("add")
    add.add_argument("username")
    add.add_argument("role", choices=ROLES)
    add.add_argument("--site")
    add.add_argument("--agency")
    add.add_argument("--name")
    args = parser.parse_args(argv)
    store = accounts()
    if args.action == "add":
        store.create(args.username, getpass.getpass("password: "), args.role, args.name or args.username,
                     args.site, args.agency)
        return 0
    for username, role, site, agency, name in DEMO:
        store.create(username, DEMO_PASSWORD, role, name, site, agency)
    print(f"demo accounts: {', '.join(u for u, *_ in DEMO)} (password {DEMO_PASSWORD})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
