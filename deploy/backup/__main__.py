"""`python -m deploy.backup <command>`: what an operator (or a scheduler: cron, a systemd timer,
CloudNativePG's ScheduledBackup in Kubernetes) runs to keep the platform recoverable.

  base --to DIR           a base backup of PostgreSQL (every schema, the vault included)
  erasures --to DIR       the erasure ledger, kept apart and more often (ledger.py says why)
  definitions --to DIR    RabbitMQ's definitions (users, vhost, permissions, exchanges, queues)
  restore-drill --from DIR [--wal-archive DIR] [--until TIME]
                          restore the newest base backup into a scratch instance, apply the
                          newest ledger's erasures again, and run the consistency check on it

The administrative logins come from KENTRA_ADMIN_DATABASE_URL and KENTRA_BROKER_ADMIN_URL (or their
_FILE), as for the one-shot setup steps; nothing here is run by a service."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from services.common.config import Settings, admin_database_url

from .drill import restore_drill
from .ledger import export_erasures
from .postgres import base_backup


def broker_definitions(to: Path) -> Path:
    """Everything the broker was told, its users' password hashes included: keep it as carefully
    as the database backups. Events are not in it (they are re-read from the stores)."""
    from deploy.rabbitmq.setup import DEFAULT_ADMIN_URL, Management

    admin = os.environ.get("KENTRA_BROKER_ADMIN_URL")
    if not admin and os.environ.get("KENTRA_BROKER_ADMIN_URL_FILE"):
        admin = Path(os.environ["KENTRA_BROKER_ADMIN_URL_FILE"]).read_text(encoding="utf-8").strip()
    definitions = Management(admin or DEFAULT_ADMIN_URL)("GET", "/definitions")
    to.mkdir(parents=True, exist_ok=True)
    path = to / f"rabbitmq-definitions-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.json"
    path.write_text(json.dumps(definitions, indent=1), encoding="utf-8")
    path.chmod(0o600)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("base", "erasures", "definitions"):
        commands.add_parser(name).add_argument("--to", type=Path, required=True)
    drill = commands.add_parser("restore-drill")
    drill.add_argument("--from", dest="folder", type=Path, required=True)
    drill.add_argument("--wal-archive", type=Path, help="replay archived WAL after the backup")
    drill.add_argument("--until", help="with --wal-archive: stop at this time (ISO 8601)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("KENTRA_LOG_LEVEL", "WARNING"))
    if args.command == "definitions":
        print(f"backup: broker definitions in {broker_definitions(args.to)}")
        return 0
    # base and erasures read no event: they need no key of personal data (a scheduled job holds
    # only the administrative login); the drill opens what it restores
    settings = (
        Settings.for_migration() if args.command in ("base", "erasures") else Settings.from_env()
    )
    admin = admin_database_url()
    if args.command == "base":
        print(f"backup: base backup in {base_backup(admin, args.to)}")
    elif args.command == "erasures":
        print(
            f"backup: erasure ledger in {export_erasures(admin, settings.schema('vault'), args.to)}"
        )
    else:
        report = restore_drill(args.folder, settings, admin, args.wal_archive, args.until)
        print(json.dumps({"clean": report.clean, **report.__dict__}, indent=1, default=str))
        return 0 if report.clean else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
