"""The per-stream hash chain: each event's hash covers the previous hash and the event as stored
(its canonical JSON, personal fields as ciphertext), so erasure keeps the chain verifiable.
Plain SHA-256 shows a change to anyone comparing heads, but whoever can write the table can
recompute it; keyed (HMAC-SHA256, the audit store's), it cannot be recomputed without the key,
which the database does not hold."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
SEPARATOR = b"\x1f"  # cannot occur in stream names, type names or canonical JSON


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def chain_hash(
    prev_hash: str,
    *,
    stream: str,
    version: int,
    event_id: str,
    type: str,
    schema_version: int,
    data_json: bytes,
    sealed_personal: bytes | None,
    subject_id: str | None,
    metadata_json: bytes,
    recorded_at: datetime,
    key: bytes | None = None,
) -> str:
    """`data_json` and `metadata_json` are canonical_json() of what is stored."""
    parts = (
        prev_hash.encode(),
        stream.encode(),
        str(version).encode(),
        event_id.encode(),
        type.encode(),
        str(schema_version).encode(),
        data_json,
        base64.b64encode(sealed_personal) if sealed_personal else b"",
        (subject_id or "").encode(),
        metadata_json,
        recorded_at.isoformat().encode(),
    )
    message = SEPARATOR.join(parts)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
