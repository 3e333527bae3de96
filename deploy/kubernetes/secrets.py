"""`python -m deploy.kubernetes.secrets [folder]`: this installation's secrets for deploy/kubernetes,
made once (default var/kubernetes-secrets/, git-ignored); deploy/kubernetes/README.md turns them
into Kubernetes Secrets.

The files `python -m deploy.secrets` makes for compose (keys, role passwords, the database's
administrative login: the base names its database and broker Services `postgres` and `rabbitmq`,
as compose does), and what compose's broker-once step keeps on a volume that pods on several
nodes cannot share: each broker user's password (broker/<user>), which the broker-once Job applies,
and each process's AMQP URI (broker/process/<process>), which that process alone mounts. Running
it again changes nothing, and an operator may put their own files there first.
Standard library and the repository only: it runs on an operator's machine, before any cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path

from deploy import secrets
from deploy.rabbitmq.definitions import users
from deploy.rabbitmq.setup import amqp_uri, password, write_uris

BROKER_HOST = "rabbitmq:5672"  # the RabbitmqCluster's Service (rabbitmq.yaml)


def make(folder: Path) -> None:
    secrets.make(folder)
    broker = folder / "broker"
    write_uris(broker, {u: amqp_uri(u, password(broker, u), BROKER_HOST) for u in users()})


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else secrets.ROOT / "var" / "kubernetes-secrets"
    make(folder)
    print(
        f"secrets in {folder} (made only where missing): deploy/kubernetes/README.md makes them Secrets"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
