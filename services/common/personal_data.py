"""Personal data that can be forgotten (crypto-shredding) and searched without being stored.

Each beneficiary (subject) has a random 256-bit key, kept wrapped by the platform's key-encryption
key in the `vault` schema, apart from every event store. Personal fields of an event are sealed
with AES-GCM under that key, the event id as associated data (a sealed blob can't be moved to
another event). Erasure deletes the key: the ciphertext stays in the append-only history and
becomes unreadable everywhere at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Iterable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.common.text import search_key

NONCE_BYTES = 12


class PersonalDataCipher:
    def __init__(self, key_encryption_key: bytes):
        self._kek = AESGCM(key_encryption_key)

    def new_wrapped_key(self, subject_id: uuid.UUID) -> bytes:
        return self._wrap(subject_id, AESGCM.generate_key(bit_length=256))

    def _wrap(self, subject_id: uuid.UUID, key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._kek.encrypt(nonce, key, subject_id.bytes)

    def unwrap(self, subject_id: uuid.UUID, wrapped: bytes) -> bytes:
        return self._kek.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], subject_id.bytes)

    @staticmethod
    def seal(key: bytes, event_id: uuid.UUID, personal: dict) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(personal, ensure_ascii=False, sort_keys=True).encode()
        return nonce + AESGCM(key).encrypt(nonce, plain, event_id.bytes)

    @staticmethod
    def open(key: bytes, event_id: uuid.UUID, sealed: bytes) -> dict:
        plain = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], event_id.bytes)
        return json.loads(plain)


class KeyVault:
    """The `vault.subject_keys` table, used inside the caller's transaction (a psycopg2 cursor)."""

    def __init__(self, cipher: PersonalDataCipher, schema: str = "vault"):
        self.cipher, self.schema = cipher, schema

    def key_for(self, cur, subject_id: uuid.UUID) -> bytes:
        """The subject's key, made on first use; never for a forgotten subject."""
        self._serialise(cur, subject_id)
        if self.is_forgotten(cur, subject_id):
            raise SubjectErased(subject_id)
        cur.execute(
            f"INSERT INTO {self.schema}.subject_keys (subject_id, wrapped_key) VALUES (%s, %s)"
            " ON CONFLICT (subject_id) DO NOTHING",
            (str(subject_id), self.cipher.new_wrapped_key(subject_id)),
        )
        cur.execute(
            f"SELECT wrapped_key FROM {self.schema}.subject_keys WHERE subject_id = %s",
            (str(subject_id),),
        )
        row = cur.fetchone()
        if row is None:  # a concurrent erasure won the race
            raise SubjectErased(subject_id)
        return self.cipher.unwrap(subject_id, bytes(row[0]))

    def holders(self, cur, subject_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these subjects still have a key (none unwrapped): enough to hand sealed fields
        on, as the relay does for every page it publishes."""
        ids = list({str(s) for s in subject_ids})
        if not ids:
            return set()
        cur.execute(
            f"SELECT subject_id FROM {self.schema}.subject_keys WHERE subject_id = ANY(%s::uuid[])",
            (ids,),
        )
        return {uuid.UUID(str(s)) for (s,) in cur.fetchall()}

    def keys_for(self, cur, subject_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, bytes]:
        """Existing keys only: an erased subject is simply absent. One query for a page of events."""
        ids = list({str(s) for s in subject_ids})
        if not ids:
            return {}
        cur.execute(
            f"SELECT subject_id, wrapped_key FROM {self.schema}.subject_keys WHERE subject_id = ANY(%s::uuid[])",
            (ids,),
        )
        return {
            uuid.UUID(str(s)): self.cipher.unwrap(uuid.UUID(str(s)), bytes(w))
            for s, w in cur.fetchall()
        }

    def forget(self, cur, subject_id: uuid.UUID) -> None:
        """Erasure: no role may delete a key but through the vault's `forget_subject` (one subject
        per call, recorded in `forgotten_subjects`), which only services that erase may call."""
        self._serialise(cur, subject_id)
        cur.execute(f"SELECT {self.schema}.forget_subject(%s)", (str(subject_id),))

    @classmethod
    def _serialise(cls, cur, subject_id: uuid.UUID) -> None:
        """Key creation and erasure of one subject queue on a lock held to commit, so a key can't be
        minted by one service while another erases the person."""
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (cls.subject_lock(subject_id),))

    @staticmethod
    def subject_lock(subject_id: uuid.UUID) -> int:
        """The advisory lock of one subject's key: whoever seals under a key or erases it holds it
        (the event store's append_events takes it too)."""
        return int.from_bytes(subject_id.bytes[:8], "big", signed=True)

    def is_forgotten(self, cur, subject_id: uuid.UUID) -> bool:
        cur.execute(
            f"SELECT 1 FROM {self.schema}.forgotten_subjects WHERE subject_id = %s",
            (str(subject_id),),
        )
        return cur.fetchone() is not None


class SubjectErased(Exception):
    def __init__(self, subject_id: uuid.UUID):
        super().__init__(f"personal data of {subject_id} was erased")
        self.subject_id = subject_id


def blind_index(index_key: bytes, kind: str, value: str) -> str:
    """A keyed hash of an identifier (AMKA, AFM, a name's search key) for look-ups: equal inputs
    match, and the table holding it reveals nothing without the key."""
    normalised = search_key(value) if kind.startswith("name") else "".join(value.split())
    return hmac.new(index_key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()
