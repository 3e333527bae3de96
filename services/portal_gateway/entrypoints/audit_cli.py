"""The audit's integrity, checked end to end from the rows as stored (adapters/audit_chain.py):

    python -m services.portal_gateway.entrypoints.audit_cli verify

Exit 0 and the seal to keep elsewhere when every chain and the seal hold; exit 1 naming the
first row that breaks them. Needs the installation's KENTRA_AUDIT_KEY and the gateway's role,
never the administrative login."""

from __future__ import annotations

import argparse
import sys

from services.common.config import Settings
from services.portal_gateway import bootstrap
from services.portal_gateway.adapters.audit_chain import verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.portal_gateway.entrypoints.audit_cli")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("verify", help="recompute every chain and the seal of the audit store")
    parser.parse_args(argv)
    settings = Settings.from_env()
    _, db = bootstrap.open_store(settings, max_connections=1)
    try:
        verdict = verify(db, settings.audit_key)
    finally:
        db.close()
    if not verdict.intact:
        print(f"audit BROKEN: {verdict.broken}", file=sys.stderr)
        return 1
    print(
        f"audit intact: {verdict.events} events in {verdict.streams} streams;"
        f" sealed at position {verdict.sealed_at}: {verdict.seal or '(nothing yet)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
