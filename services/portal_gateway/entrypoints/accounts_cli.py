"""Accounts of the portal, one at a time, from the command line (a password is asked, never an
argument, so it stays out of the shell's history). Every change but `add` of a new name ends the
account's sessions: it holds from the holder's next request.

    python -m services.portal_gateway.entrypoints.accounts_cli add USERNAME ROLE [--site KK-…] [--agency …] [--name …]
    python -m services.portal_gateway.entrypoints.accounts_cli password USERNAME
    python -m services.portal_gateway.entrypoints.accounts_cli change USERNAME ROLE [--site …] [--agency …]
    python -m services.portal_gateway.entrypoints.accounts_cli deactivate USERNAME
"""

from __future__ import annotations

import argparse
import getpass
import sys

from services.common.config import Settings
from services.portal_gateway import bootstrap
from services.portal_gateway.adapters.accounts import NoSuchAccount
from services.portal_gateway.application.authentication import open_account, reset_password
from services.portal_gateway.domain.access import ROLES
from services.portal_gateway.domain.passwords import WeakPassword
from services.portal_gateway.entrypoints.web.i18n import password_rules, translator

t = translator("el")  # the operators' language; the reasons are the portal's own words


def main(argv: list[str] | None = None, ask=getpass.getpass) -> int:
    args = parser().parse_args(argv)
    accounts = bootstrap.accounts(Settings.from_env())
    try:
        if args.action == "add":
            name = args.name or args.username
            open_account(
                accounts, args.username, ask("password: "), args.role, name, args.site, args.agency
            )
        elif args.action == "password":
            reset_password(accounts, args.username, ask("new password: "))
        elif args.action == "change":
            accounts.change(args.username, args.role, args.site, args.agency)
        else:
            accounts.deactivate(args.username)
    except WeakPassword as exc:
        print("\n".join([t("weak_password"), *password_rules(t, exc.reasons)]), file=sys.stderr)
        return 1
    except NoSuchAccount:
        print(f"δεν υπάρχει λογαριασμός {args.username}", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="python -m services.portal_gateway.entrypoints.accounts_cli"
    )
    sub = found.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="a new account (an existing one is set anew)")
    add.add_argument("username")
    add.add_argument("role", choices=ROLES)
    add.add_argument("--site")
    add.add_argument("--agency")
    add.add_argument("--name")
    password = sub.add_parser("password", help="a new password; the account's sessions end")
    password.add_argument("username")
    change = sub.add_parser("change", help="another role, site or agency; its sessions end")
    change.add_argument("username")
    change.add_argument("role", choices=ROLES)
    change.add_argument("--site")
    change.add_argument("--agency")
    deactivate = sub.add_parser("deactivate", help="no more logins; its sessions end")
    deactivate.add_argument("username")
    return found


if __name__ == "__main__":
    sys.exit(main())
