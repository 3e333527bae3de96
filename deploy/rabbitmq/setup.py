"""`python -m deploy.rabbitmq.setup`: applies the broker's access model (definitions.py) through
the management API, as the broker's administrator, and gives each process its own password.

Passwords: one per broker user, random, made once in the secrets folder (`KENTRA_SECRETS_DIR`,
default var/secrets/, under `broker/`) unless one is there already (a production operator may put
their own). Each process is then handed only its own AMQP URI (`amqp_uri`), by the local runner or
by compose (`KENTRA_AMQP_URI_FILE`, written under `broker/uri/`).

    KENTRA_BROKER_ADMIN_URL   http://user:password@host:15672 (development: guest on loopback),
                              or KENTRA_BROKER_ADMIN_URL_FILE naming a file that holds it
    KENTRA_BROKER_HOST        host:port the processes connect to (default 127.0.0.1:5672); a
                              cluster's nodes comma-separated (rabbit-1:5672,rabbit-2:5672,...):
                              each process's URI then names every node (services/common/broker.py)
    KENTRA_BROKER_VHOST       default kentra
    KENTRA_BROKER_PREFIX      put before every user's name (a second platform on one broker)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

from deploy.rabbitmq.definitions import PROCESS_USERS, SERVICES, VHOST, definitions, users

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ADMIN_URL = "http://guest:guest@127.0.0.1:15672"
DEFAULT_HOST = "127.0.0.1:5672"


def secrets_folder(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ if env is None else env)
    return Path(env.get("KENTRA_SECRETS_DIR") or ROOT / "var" / "secrets") / "broker"


def password(folder: Path, user: str) -> str:
    """The user's password, made at random the first time it is asked for."""
    path = folder / user
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    made = secrets.token_urlsafe(24)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(made)
    return made


def password_hash(plain: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + plain.encode()).digest()).decode()


def amqp_uri(user: str, plain: str, host: str = DEFAULT_HOST, vhost: str = VHOST) -> str:
    """The user's URI; `host` may name several nodes (`h1:5672,h2:5672`): kombu's failover list."""
    login, where = f"{quote(user, safe='')}:{quote(plain, safe='')}", quote(vhost, safe="")
    return ";".join(f"amqp://{login}@{h.strip()}/{where}" for h in host.split(",") if h.strip())


def process_uri(process: str, folder: Path, host: str = DEFAULT_HOST, prefix: str = "") -> str:
    """The AMQP URI a Procfile process connects with: its own user, nobody else's."""
    user = prefix + PROCESS_USERS[process]
    return amqp_uri(user, password(folder, user), host)


class Management:
    """The RabbitMQ management HTTP API, as an administrator."""

    def __init__(self, url: str = DEFAULT_ADMIN_URL):
        parts = urlsplit(url)
        self.base = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}/api"
        token = f"{parts.username or ''}:{parts.password or ''}".encode()
        self.authorization = "Basic " + base64.b64encode(token).decode()

    def __call__(self, method: str, path: str, body=None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": self.authorization},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read()
            return json.loads(text) if text else None


def apply(
    management: Management,
    folder: Path,
    *,
    vhost: str = VHOST,
    prefix: str = "",
    host: str = DEFAULT_HOST,
) -> dict[str, str]:
    """Users (with this installation's passwords), vhost, permissions, exchanges; returns each
    user's AMQP URI. Idempotent: a second run changes nothing but re-hashes the same passwords."""
    plain = {u: password(folder, u) for u in users(prefix)}
    document = definitions(vhost, prefix, {u: password_hash(p) for u, p in plain.items()})
    management("PUT", f"/vhosts/{quote(vhost, safe='')}", {"description": "Kentra"})
    management("POST", "/definitions", document)
    replace_classic_rpc_queues(management, vhost)
    return {u: amqp_uri(u, p, host, vhost) for u, p in plain.items()}


def replace_classic_rpc_queues(management: Management, vhost: str = VHOST) -> list[str]:
    """Delete the services' RPC queues left classic by an earlier release (nameko's own kind):
    the services now declare them as quorum queues (services/common/nameko_support.py), and a
    queue's type cannot change, so a service would be refused (PRECONDITION_FAILED) until the
    classic one is gone. Run, as this step is, while the services are stopped: a request still in
    such a queue is lost, its caller times out, and a command is retried under its command id."""
    where = quote(vhost, safe="")
    found = management("GET", f"/queues/{where}?columns=name,type") or []
    classic = [
        q["name"]
        for q in found
        if q["name"] in {f"rpc-{s}" for s in SERVICES} and q.get("type") == "classic"
    ]
    for name in classic:
        management("DELETE", f"/queues/{where}/{quote(name, safe='')}")
    return classic


def write_uris(folder: Path, uris: dict[str, str], prefix: str = "") -> None:
    """Each process's URI as a file `process/<name>` (deploy/Procfile's names, and `operator`
    for the runner's and operators' tools): the local runner hands each process its own, and
    compose points `KENTRA_AMQP_URI_FILE` at it."""
    out = folder / "process"
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    for process, user in {**PROCESS_USERS, "operator": "operator"}.items():
        path = out / process
        path.write_text(uris[prefix + user], encoding="utf-8")
        path.chmod(0o600)


def main() -> int:
    folder = secrets_folder()
    vhost = os.environ.get("KENTRA_BROKER_VHOST", VHOST)
    prefix = os.environ.get("KENTRA_BROKER_PREFIX", "")
    admin = os.environ.get("KENTRA_BROKER_ADMIN_URL")
    if not admin and os.environ.get("KENTRA_BROKER_ADMIN_URL_FILE"):
        admin = Path(os.environ["KENTRA_BROKER_ADMIN_URL_FILE"]).read_text(encoding="utf-8").strip()
    uris = apply(
        Management(admin or DEFAULT_ADMIN_URL),
        folder,
        vhost=vhost,
        prefix=prefix,
        host=os.environ.get("KENTRA_BROKER_HOST", DEFAULT_HOST),
    )
    write_uris(folder, uris, prefix)
    print(f"broker: {len(uris)} users on vhost {vhost}, each with its own password", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
