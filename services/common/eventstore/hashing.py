"""The per-stream hash chain: each event's hash covers the previous hash and the event as stored
(personal fields as ciphertext), so erasure keeps the chain verifiable."""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def chain_hash(
    prev_hash: str,
    *,
    stream: str,
    version: int,
    event_id: str,
    type: str,
    schema_version: int,
    data: dict,
    sealed_personal: bytes | None,
    subject_id: str | None,
    metadata: dict,
    recorded_at: datetime,
) -> str:
    body = {
        "stream": stream,
        "version": version,
        "event_id": event_id,
        "type": type,
        "schema_version": schema_version,
        "data": data,
        "personal": base64.b64encode(sealed_personal).decode() if sealed_personal else None,
        "subject_id": subject_id,
        "metadata": metadata,
        "recorded_at": recorded_at.isoformat(),
    }
    return hashlib.sha256(prev_hash.encode() + canonical_json(body)).hexdigest()
