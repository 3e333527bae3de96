"""What crosses the broker for RPC is sealed: the `kentra-sealed` serializer.

Commands carry names, AMKA and case notes; read answers carry whole records. RabbitMQ writes
messages of durable queues to its disk (and pages others there under memory pressure), where no
erasure reaches, so an RPC body travels as AES-GCM under the installation's bus key
(KENTRA_BUS_KEY), never in clear. Events are sealed differently: their personal fields stay sealed
under the subject's own key from the store to the consumer (contracts/envelope.py), so erasing the
person makes every copy on the bus unreadable too.

Every nameko config of the platform (services, standalone clients, tests) comes from
`nameko_config`: it sends sealed, so a process without the bus key can read no request or answer.
It also accepts plain JSON, which is what the relays publish (contracts/envelope.py: events whose
personal fields are sealed under the subject's key), so a nameko event handler can take them.
"""

from __future__ import annotations

import functools
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from kombu.utils import json

from services.common.config import secret_from_env

SERIALIZER = "kentra-sealed"
CONTENT_TYPE = "application/x-kentra-sealed"
NONCE_BYTES = 12
ASSOCIATED = b"kentra-rpc-v1"  # a sealed RPC body is not a sealed event, nor the other way round


@functools.cache
def _cipher() -> AESGCM:
    return AESGCM(secret_from_env("KENTRA_BUS_KEY"))


def encode(body) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher().encrypt(nonce, json.dumps(body).encode(), ASSOCIATED)


def decode(sealed: bytes):
    if isinstance(sealed, str):  # kombu hands a body over as text when its encoding says so
        sealed = sealed.encode("latin-1")
    plain = _cipher().decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ASSOCIATED)
    return json.loads(plain.decode())


SERIALIZERS = {
    SERIALIZER: {
        "encoder": f"{__name__}.encode",
        "decoder": f"{__name__}.decode",
        "content_type": CONTENT_TYPE,
        "content_encoding": "binary",
    }
}


def nameko_config(amqp_uri: str, **more) -> dict:
    """A nameko config whose RPC bodies are sealed both ways; JSON is accepted for the events."""
    return {
        "AMQP_URI": amqp_uri,
        "serializer": SERIALIZER,
        "ACCEPT": [SERIALIZER, "json"],
        "SERIALIZERS": SERIALIZERS,
        **more,
    }
