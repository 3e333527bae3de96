"""Accounts for the demo network, one per role, all with the password `kentra-demo` (a demo only:
real accounts are added one by one with `python -m services.portal_gateway.entrypoints.accounts_cli`),
and the demo's municipal publishers (the broker users of deploy/rabbitmq/definitions.py) registered
for their centres, so their events over AMQP are accepted (API keys: the coordinator issues them).

    python -m deploy.demo.accounts              # the demo accounts (idempotent)
"""

from __future__ import annotations

import os
import sys

from deploy.rabbitmq.definitions import PUBLISHERS
from services.common.config import Settings
from services.portal_gateway import bootstrap

DEMO_PASSWORD = "kentra-demo"
DYPA_KALAMATA = "3b869f7f-791a-570a-80d9-123275cd65cc"  # deploy/demo/directory
DEMO = [  # username, role, site, agency, display name: the staff logins are the registry's staff ids (seed)
    (
        "kalamata.social4",
        "case_worker",
        "MU-KALAMATA",
        None,
        "Κοινωνική επιστήμονας, Κινητή Μονάδα Καλαμάτας",
    ),
    ("kalamata.social1", "case_worker", "KK-KALAMATA", None, "Κοινωνική λειτουργός, ΚΚ Καλαμάτας"),
    ("kalamata.head", "head_of_centre", "KK-KALAMATA", None, "Υπεύθυνη ΚΚ Καλαμάτας"),
    ("sparti.social1", "case_worker", "KK-SPARTI", None, "Κοινωνικός λειτουργός, ΚΚ Σπάρτης"),
    ("dypa.kalamata", "agency_officer", None, DYPA_KALAMATA, "ΔΥΠΑ Καλαμάτας"),
    ("coordinator", "regional_coordinator", None, None, "Περιφερειακή Κοινωνική Πύλη"),
    ("dpo", "dpo", None, None, "Υπεύθυνος Προστασίας Δεδομένων"),
    ("ops", "ops", None, None, "Ops"),
]


def main() -> int:
    settings = Settings.from_env()
    if settings.production:  # a password everyone knows has no place in a real installation
        print("demo accounts are refused in production (KENTRA_ENV=production)", file=sys.stderr)
        return 2
    store = bootstrap.accounts(settings)
    for username, role, site, agency, name in DEMO:
        # straight to the store, past the password policy (application/authentication.py:
        # open_account) that `kentra-demo` fails: this step is refused in production above
        store.create(username, DEMO_PASSWORD, role, name, site, agency)
    print(f"demo accounts: {', '.join(u for u, *_ in DEMO)} (password {DEMO_PASSWORD})")
    publishers = bootstrap.publishers(settings)
    prefix = os.environ.get("KENTRA_BROKER_PREFIX", "")  # as the broker's users are named
    for name, site in PUBLISHERS.items():
        publishers.register(prefix + name, site, "demo")
    print(f"municipal publishers: {', '.join(prefix + n for n in PUBLISHERS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
