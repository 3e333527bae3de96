"""Accounts of the portal, one at a time, from the command line (the password is asked, never an
argument, so it stays out of the shell's history).

    python -m services.portal_gateway.entrypoints.accounts_cli add USERNAME ROLE [--site KK-…] [--agency UUID]
"""

from __future__ import annotations

import argparse
import getpass
import sys

from services.common.config import Settings
from services.portal_gateway import bootstrap
from services.portal_gateway.domain.access import ROLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.portal_gateway.entrypoints.accounts_cli"
    )
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="a new account")
    add.add_argument("username")
    add.add_argument("role", choices=ROLES)
    add.add_argument("--site")
    add.add_argument("--agency")
    add.add_argument("--name")
    args = parser.parse_args(argv)
    accounts = bootstrap.accounts(Settings.from_env())
    accounts.create(
        args.username,
        getpass.getpass("password: "),
        args.role,
        args.name or args.username,
        args.site,
        args.agency,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
