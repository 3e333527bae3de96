"""Reporting's pseudonyms: its read model keys a person's rows by an HMAC-SHA256 of their
beneficiary id under KENTRA_REPORTING_KEY, a secret only reporting's processes hold, so the tables
alone (a dump, a curious reader with the role) cannot be joined back to a person or to another
service's rows. The one personal value kept beyond a band or a flag, the birth date until the
person's entries into operations are known, is sealed (AES-GCM) under a key derived from it."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import uuid
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class Pseudonyms:
    def __init__(self, key: bytes):
        self._key = key
        self._seal = AESGCM(hmac.new(key, b"kentra reporting seal", hashlib.sha256).digest())
        # the projection asks for a person's pseudonym once per table it writes, and a rebuild
        # meets a person's events close together: an HMAC per ask was a tenth of a rebuild
        self._known = functools.lru_cache(maxsize=1 << 16)(self._pseudonym)

    def of(self, beneficiary_id: str | uuid.UUID) -> str:
        """The same id in any spelling (upper case, braces) gives the same pseudonym."""
        return self._known(str(beneficiary_id))

    def _pseudonym(self, beneficiary_id: str) -> str:
        canonical = str(uuid.UUID(beneficiary_id)).encode()
        return hmac.new(self._key, canonical, hashlib.sha256).hexdigest()

    def seal_date(self, pseudonym: str, value: str | date | None) -> bytes | None:
        """Bound to its row's pseudonym: a sealed value moved to another person does not open."""
        if value is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        text = value.isoformat() if isinstance(value, date) else str(value)
        return nonce + self._seal.encrypt(nonce, text.encode(), pseudonym.encode())

    def open_date(self, pseudonym: str, sealed: bytes | memoryview | None) -> date | None:
        if sealed is None:
            return None
        blob = bytes(sealed)
        text = self._seal.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], pseudonym.encode())
        return date.fromisoformat(text.decode())
