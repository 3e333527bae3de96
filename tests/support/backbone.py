"""Helpers to put events into a real store and read what reached a real broker."""

from __future__ import annotations

import json
import uuid

import kombu

from contracts.envelope import exchange_name
from services.common.eventstore import NO_STREAM, Metadata, NewEvent

SITE = "MU-KALAMATA"


def register(store, n: int = 1, **extra) -> list[str]:
    """Append `n` registrations, each on its own beneficiary stream; returns the streams."""
    streams = []
    for i in range(n):
        subject = uuid.uuid4()
        stream = f"beneficiary-{subject}"
        store.append(
            stream,
            NO_STREAM,
            [
                NewEvent(
                    "BeneficiaryRegistered",
                    {"municipality_code": "9258", "seq": i, **extra},
                    personal={"given_name": "Ελένη", "family_name": f"Παπαδάκη-{i}"},
                    subject_id=subject,
                )
            ],
            Metadata("sw-1", SITE),
        )
        streams.append(stream)
    return streams


def touch(store, stream: str, times: int = 1, **data) -> None:
    """Append plain events to an existing stream."""
    head = store.head(stream)
    version = head.version if head else 0
    store.append(
        stream,
        version,
        [NewEvent("ContactNoted", {"n": i, **data}) for i in range(times)],
        Metadata("sw-1", SITE),
    )


def bind_queue(amqp_uri: str, source: str, name: str | None = None) -> kombu.Queue:
    """A durable queue on the source's exchange, as a consumer would declare it."""
    queue = kombu.Queue(
        name or f"probe-{uuid.uuid4().hex[:8]}",
        kombu.Exchange(exchange_name(source), type="topic", durable=True),
        routing_key="#",
        durable=True,
    )
    with kombu.Connection(amqp_uri) as conn:
        queue(conn.channel()).declare()
    return queue


def drain(
    amqp_uri: str, queue: kombu.Queue, expect: int, timeout: float = 10.0
) -> list[tuple[str, dict]]:
    """(routing key, envelope) of every message on the queue, acked."""
    got: list[tuple[str, dict]] = []
    with kombu.Connection(amqp_uri) as conn:
        with conn.SimpleQueue(queue) as q:
            while len(got) < expect:
                try:
                    m = q.get(timeout=timeout)
                except q.Empty:
                    break
                got.append((m.delivery_info["routing_key"], json.loads(m.body)))
                m.ack()
    return got
