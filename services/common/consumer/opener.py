"""Opening the personal fields an event brought sealed (contracts/envelope.py), for a read model
that needs them (`Projection.opens_personal`), inside the consumer's own transaction.

Only such read models are given the key vault (read-only): the others never see a personal value.
An event whose subject's key is gone was erased meanwhile: it is applied as erased.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace

from services.common.personal_data import KeyVault, PersonalDataCipher

from .projection import SourceEvent

KeysFor = Callable[[object, Iterable[uuid.UUID]], dict[uuid.UUID, bytes]]


class PersonalOpener:
    def __init__(self, cipher: PersonalDataCipher, keys_for: KeysFor):
        self.cipher, self.keys_for = cipher, keys_for

    @classmethod
    def from_vault(cls, vault: KeyVault) -> PersonalOpener:
        return cls(vault.cipher, vault.keys_for)

    def open(self, cur, events: list[SourceEvent]) -> list[SourceEvent]:
        keys = self.keys_for(cur, (uuid.UUID(e.subject_id) for e in events if e.sealed))
        out = []
        for e in events:
            if e.sealed is None:
                out.append(e)
                continue
            key = keys.get(uuid.UUID(e.subject_id))
            if key is None:
                out.append(replace(e, sealed=None, erased=True))
            else:
                personal = self.cipher.open(key, uuid.UUID(e.event_id), e.sealed)
                out.append(replace(e, personal=personal))
        return out
