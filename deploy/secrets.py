"""`python -m deploy.secrets [folder]`: makes this installation's secrets for compose, once.

Each secret is a file in `folder` (default deploy/secrets/, git-ignored), made at random only if it
is not there yet, so running it again changes nothing and an operator may put their own. The
folder is 700 and the files 644: compose (without swarm) bind-mounts a secret with its host
permissions, and the processes inside run as users of their own image (kentra, rabbitmq), so the
folder, not the file, is what keeps other users of the host out. compose mounts them as Docker
secrets; nothing secret is in compose.yaml or the image.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# kentra_reporting_key: mounted in reporting's containers only (its pseudonyms, compose.yaml)
KEYS = (
    "kentra_kek",
    "kentra_index_key",
    "kentra_token_secret",
    "kentra_audit_key",
    "kentra_bus_key",
    "kentra_reporting_key",
)
BROKER_ADMIN = "kentra-admin"
POSTGRES_ADMIN = "postgres"
# the service roles the long-running processes log in as (kentra_<schema>)
SERVICE_ROLES = (
    "registries",
    "intake",
    "referrals",
    "reporting",
    "reporting_releases",
    "portal_gateway",
    "timeline",
    "referrals_reactions",
    "monitor",  # postgres_exporter's statistics-only login (services/common/migrate.py)
)


def _make(folder: Path, name: str, value: str) -> str:
    """The file's content: the existing one, or `value` written now."""
    path = folder / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value)
    return value


def make(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    for key in KEYS:  # 32 random bytes, base64 (services/common/config.py reads them)
        _make(folder, key, base64.b64encode(secrets.token_bytes(32)).decode())
    for role in SERVICE_ROLES:
        _make(folder, f"db_password_{role}", secrets.token_urlsafe(24))
    postgres = _make(folder, "postgres_password", secrets.token_urlsafe(24))
    _make(
        folder,
        "database_admin_url",
        f"postgresql://{POSTGRES_ADMIN}:{postgres}@postgres:5432/kentra",
    )
    broker = _make(folder, "rabbitmq_admin_password", secrets.token_urlsafe(24))
    # RabbitMQ reads its administrator from a conf.d file: guest is then never created
    _make(
        folder, "rabbitmq_admin.conf", f"default_user = {BROKER_ADMIN}\ndefault_pass = {broker}\n"
    )
    _make(folder, "broker_admin_url", f"http://{BROKER_ADMIN}:{broker}@rabbitmq:15672")
    return sorted(p.name for p in folder.iterdir())


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "deploy" / "secrets"
    names = make(folder)
    print(f"{len(names)} secrets in {folder} (made only where missing): {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
