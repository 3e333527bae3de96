"""The broker's access model, in one place: one user per process, on one vhost, each allowed only
what its process does. `python -m deploy.rabbitmq.setup` applies it; tests apply it to vhosts and
users of their own (`prefix`).

- A relay alone publishes its source's events, and every consumer applies an event only if the
  broker vouches (validated `user_id`) that this relay published it.
- RPC goes through one topic exchange (`nameko-rpc`, routing key `<service>.<method>`): topic
  permissions name, per caller, the methods it may call. The backbone reads (`read_all`,
  `read_stream`, ...) return decrypted history, so only the consumers of a source may call them.
- A service answers on routing keys that are reply-queue ids (UUIDs) only, so a caller cannot
  point a reply at another service's method.
- A service that keeps some of the registry's facts (services/common/registry_facts.py) binds a
  queue of its own (`<user>.registry-facts.<id>`, exclusive) to `registries.events`, for the event
  types that change those facts alone: topic permissions name them.
- A municipal publisher publishes on `municipal.events` under its own centre's keys only; the
  gateway alone reads them (`gateway.municipal`). A message it cannot process (a backend down) is
  redelivered up to `MUNICIPAL_DELIVERY_LIMIT` times, then the broker dead-letters it to
  `gateway.municipal.dead`, where ops find it (the management UI) and nothing is lost.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.directory import CHANGES as DIRECTORY_CHANGES
from contracts.envelope import exchange_name, watch_queue_prefix
from contracts.municipal import MUNICIPAL_DEAD, MUNICIPAL_EXCHANGE, MUNICIPAL_QUEUE
from contracts.network import CHANGES as NETWORK_CHANGES
from contracts.registries import SOURCE as REGISTRIES

VHOST = "kentra"
RPC_EXCHANGE = "nameko-rpc"
# each try waits longer (the gateway backs off up to a minute): ten cover a backend's restart
MUNICIPAL_DELIVERY_LIMIT = 10
SOURCES = ("registries", "intake", "referrals")
# the nameko services and their classes (deploy/Procfile runs the same)
SERVICES = {
    "registries": "services.registries.entrypoints.service:RegistriesService",
    "intake": "services.intake.entrypoints.service:IntakeService",
    "referrals": "services.referrals.entrypoints.service:ReferralsService",
    "reporting": "services.reporting.entrypoints.service:ReportingService",
    "portal_gateway": "services.portal_gateway.entrypoints.service:PortalGateway",
}
BACKBONE_READS = ("read_all", "read_stream", "stream_heads", "last_position")
PUBLIC = "public"  # every RPC method of a service but its backbone reads
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# municipal systems publishing over AMQP: user -> the centre whose keys it may use
PUBLISHERS = {
    "dimos-kalamatas": "KK-KALAMATA",
    "dimos-spartis": "KK-SPARTI",
    "dimos-tripolis": "KK-TRIPOLI",
}


@dataclass(frozen=True)
class Principal:
    """A broker user: what its process serves, calls, publishes and consumes."""

    name: str
    serves: str | None = None  # the nameko service it runs: answers `<serves>.<method>`
    calls: Mapping[str, tuple[str, ...] | str] = field(default_factory=dict)
    publishes: str | None = None  # the source whose events it publishes (a relay)
    consumer: str | None = None  # the read model it feeds: queues `<consumer>.<source>`
    consumes: tuple[str, ...] = ()
    reads_queues: tuple[str, ...] = ()  # declared queues it consumes from (municipal events)
    watches: frozenset[str] = frozenset()  # registry event types that drop the facts it keeps


def _backbone(*sources: str) -> dict[str, tuple[str, ...]]:
    return {s: (*BACKBONE_READS, "ready") for s in sources}


PRINCIPALS = (
    Principal("registries", serves="registries"),
    Principal(
        "intake",
        serves="intake",
        calls={
            "registries": (
                "partner_municipalities",
                "staff_of_network",
                "possible_duplicates_at",
                "ready",
            )
        },
        watches=NETWORK_CHANGES,
    ),
    Principal(
        "referrals",
        serves="referrals",
        calls={
            "registries": (
                "agency",
                "agencies",
                "programme",
                "programmes",
                "possible_duplicates_at",
                "ready",
            ),
            "intake": ("may_share_with", "ready"),
        },
        watches=DIRECTORY_CHANGES,
    ),
    # its consistency report compares each source's stream heads with the read model's
    Principal("reporting", serves="reporting", calls=_backbone(*SOURCES)),
    Principal(
        "portal_gateway",
        serves="portal_gateway",
        calls={s: PUBLIC for s in ("registries", "intake", "referrals", "reporting")},
        reads_queues=(MUNICIPAL_QUEUE, MUNICIPAL_DEAD),
        watches=NETWORK_CHANGES,  # the sites it decides networks from (SitesKept)
    ),
    *(Principal(f"{s}-relay", publishes=s) for s in SOURCES),
    Principal(
        "reporting-consumer",
        consumer="reporting",
        consumes=SOURCES,
        calls=_backbone(*SOURCES),
    ),
    Principal(
        "timeline-consumer", consumer="timeline", consumes=SOURCES, calls=_backbone(*SOURCES)
    ),
    Principal(
        "referrals-reactions-consumer",
        consumer="referrals-reactions",
        consumes=("intake",),
        calls=_backbone("intake"),
    ),
    # the demo's one-shot steps work as a centre's staff would, through the services' commands
    Principal(
        "demo", calls={s: PUBLIC for s in ("registries", "intake", "referrals", "reporting")}
    ),
    # the local runner and operators' tools: readiness, the ready block's checks
    Principal(
        "operator",
        calls={
            **{s: ("ready",) for s in SOURCES},
            "reporting": ("ready", "consistency_report"),
            "registries": ("ready", "network"),
        },
    ),
)
PROCESS_USERS = {
    # deploy/Procfile's process -> its broker user (a one-shot demo step runs as `demo`)
    **{p.name: p.name for p in PRINCIPALS if p.name not in ("demo", "operator")},
    "seed-once": "demo",
    "accounts-once": "demo",
    "demo-once": "demo",
}


def rpc_methods(service: str) -> tuple[str, ...]:
    """The service's `@rpc` methods, read from its class (no list to keep in step by hand)."""
    module, cls = SERVICES[service].split(":")
    service_class = getattr(importlib.import_module(module), cls)
    found = []
    for name in dir(service_class):
        for entrypoint in getattr(getattr(service_class, name), "nameko_entrypoints", ()):
            if type(entrypoint).__name__ == "Rpc":
                found.append(name)
    return tuple(sorted(set(found)))


def allowed_calls(principal: Principal) -> list[str]:
    """`<service>.<method>` routing keys this principal may publish on the RPC exchange."""
    keys = []
    for service, methods in sorted(principal.calls.items()):
        if methods == PUBLIC:
            methods = tuple(m for m in rpc_methods(service) if m not in BACKBONE_READS)
        keys += [f"{service}.{m}" for m in methods]
    return keys


def _any_of(patterns: list[str]) -> str:
    return "^(" + "|".join(patterns) + ")$" if patterns else "^$"


def _permissions(p: Principal, prefix: str) -> dict[str, str]:
    """Resource permissions (configure / write / read regexes over exchange and queue names)."""
    rpc = bool(p.serves or p.calls)
    configure, write, read = [], [], []
    if rpc:
        # nameko declares the RPC exchange and its reply queue (named after its service or user)
        replies = re.escape(f"rpc.reply-{p.serves or prefix + p.name}-") + ".*"
        configure += [re.escape(RPC_EXCHANGE), replies]
        write += [re.escape(RPC_EXCHANGE), replies]
        read += [re.escape(RPC_EXCHANGE), replies]
    if p.serves:
        own = re.escape(f"rpc-{p.serves}")
        configure.append(own)
        write.append(own)
        read.append(own)
    if p.publishes:
        write.append(re.escape(exchange_name(p.publishes)))
    if p.consumer:
        queues = [re.escape(f"{p.consumer}.{s}") for s in p.consumes]
        configure += queues
        write += queues  # binding a queue needs write on the queue
        read += queues + [re.escape(exchange_name(s)) for s in p.consumes]
    if p.watches:
        own = re.escape(watch_queue_prefix(prefix + p.name)) + ".*"
        configure.append(own)
        write.append(own)
        read += [own, re.escape(exchange_name(REGISTRIES))]
    read += [re.escape(q) for q in p.reads_queues]
    return {"configure": _any_of(configure), "write": _any_of(write), "read": _any_of(read)}


def _rpc_topics(p: Principal) -> dict[str, str]:
    """Routing keys on the RPC exchange: calls it may make, replies and bindings it may use."""
    write = [re.escape(k) for k in allowed_calls(p)]
    read = [UUID]  # its reply queue's binding
    if p.serves:
        write.append(UUID)  # answers go to the caller's reply queue
        read.append(re.escape(f"{p.serves}.*"))  # its RPC queue's binding
    return {"write": _any_of(write), "read": _any_of(read)}


def _watch_topics(vhost: str, prefix: str) -> list[dict]:
    """Binding is reading: a service may bind its watch queue to the registry's changes it keeps
    facts of, and to no other event of the registry's (a person's registration among them)."""
    return [
        {
            "user": prefix + p.name,
            "vhost": vhost,
            "exchange": exchange_name(REGISTRIES),
            "write": "^$",
            "read": _any_of([re.escape(t) for t in sorted(p.watches)]),
        }
        for p in PRINCIPALS
        if p.watches
    ]


def exchanges(vhost: str = VHOST) -> list[dict]:
    """Every exchange, as declared (the AsyncAPI document reads them: contracts/asyncapi.py)."""
    kinds = [
        (RPC_EXCHANGE, "topic"),
        *((exchange_name(s), "topic") for s in SOURCES),
        (MUNICIPAL_EXCHANGE, "topic"),
        (MUNICIPAL_DEAD, "fanout"),  # what the gateway could not process after its delivery limit
    ]
    return [
        {
            "name": name,
            "vhost": vhost,
            "type": kind,
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }
        for name, kind in kinds
    ]


def definitions(vhost: str = VHOST, prefix: str = "", passwords: Mapping[str, str] = {}) -> dict:
    """A RabbitMQ definitions document (POST /api/definitions). `passwords` maps each user to its
    password hash; users without one are left out (their permissions still apply once made)."""
    users = [prefix + p.name for p in PRINCIPALS] + [prefix + p for p in PUBLISHERS]
    permissions = [
        {"user": prefix + p.name, "vhost": vhost, **_permissions(p, prefix)} for p in PRINCIPALS
    ] + [
        {
            "user": prefix + p,
            "vhost": vhost,
            "configure": "^$",
            "write": _any_of([re.escape(MUNICIPAL_EXCHANGE)]),
            "read": "^$",
        }
        for p in PUBLISHERS
    ]
    topics = (
        [
            {"user": prefix + p.name, "vhost": vhost, "exchange": RPC_EXCHANGE, **_rpc_topics(p)}
            for p in PRINCIPALS
        ]
        + _watch_topics(vhost, prefix)
        + [
            {
                "user": prefix + p,
                "vhost": vhost,
                "exchange": MUNICIPAL_EXCHANGE,
                "write": "^" + re.escape(site) + r"\..+",
                "read": "^$",
            }
            for p, site in PUBLISHERS.items()
        ]
    )
    return {
        "vhosts": [{"name": vhost, "metadata": {"description": "Kentra"}}],
        "users": [
            {
                "name": u,
                "password_hash": passwords[u],
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": "",
                "limits": {},
            }
            for u in users
            if u in passwords
        ],
        "permissions": permissions,
        "topic_permissions": topics,
        **topology(vhost),
    }


def _quorum(vhost: str, name: str, **arguments) -> dict:
    return {
        "name": name,
        "vhost": vhost,
        "durable": True,
        "auto_delete": False,
        "arguments": {"x-queue-type": "quorum", **arguments},
    }


def topology(vhost: str = VHOST) -> dict:
    """The exchanges, queues and bindings (no users): what the tests declare in their own vhost."""
    return {
        "exchanges": exchanges(vhost),
        "queues": [_quorum(vhost, q, **a) for q, a in MUNICIPAL_QUEUE_ARGUMENTS.items()],
        "bindings": [
            {
                "source": source,
                "vhost": vhost,
                "destination": queue,
                "destination_type": "queue",
                "routing_key": "#",
                "arguments": {},
            }
            for source, queue in (
                (MUNICIPAL_EXCHANGE, MUNICIPAL_QUEUE),
                (MUNICIPAL_DEAD, MUNICIPAL_DEAD),
            )
        ],
    }


# the queues' arguments, for the definitions and for the gateway's consumer (a passive use)
MUNICIPAL_QUEUE_ARGUMENTS = {
    MUNICIPAL_QUEUE: {
        "x-delivery-limit": MUNICIPAL_DELIVERY_LIMIT,
        "x-dead-letter-exchange": MUNICIPAL_DEAD,
    },
    MUNICIPAL_DEAD: {},
}


def users(prefix: str = "") -> list[str]:
    return [prefix + p.name for p in PRINCIPALS] + [prefix + p for p in PUBLISHERS]
