"""The registries' operator commands:

    python -m services.registries.entrypoints.cli reindex-names

`reindex-names`: after upgrading to the release that indexes the beginnings of name words (search
by prefix), adds them for the records registered before it, which were found by whole words only.
Run once after the migrate step; safe to run again (it writes each search row whole) and while the
service runs. Erased people are skipped: their names are gone. Needs the installation's
KENTRA_INDEX_KEY and the registries' role, never the administrative login."""

from __future__ import annotations

import argparse
import sys

from services.common.config import Settings
from services.registries import bootstrap
from services.registries.adapters.identity_index import IdentityIndex


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registries.entrypoints.cli")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("reindex-names", help="index the beginnings of every registered name's words")
    parser.parse_args(argv)
    settings = Settings.from_env()
    store, db = bootstrap.open_store(settings, max_connections=1)
    try:
        records = IdentityIndex(settings.index_key).reindex_names(store, db)
    finally:
        db.close()
    print(f"names indexed for search for {records} registrations (erased people skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
