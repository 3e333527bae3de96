"""The registry's knowledge of who is who, as the registration use case asks for it: the person a
number already identifies (the survivor, if merged) and who else may be the same person. Keyed
hashes only (identity_index.py); merges from merges.py."""

from __future__ import annotations

from services.registries.adapters.identity_index import IdentityIndex
from services.registries.adapters.merges import Merges


class Identities:
    def __init__(self, db, index_key: bytes):
        self.db, self.index = db, IdentityIndex(index_key)

    def known_person(self, personal: dict) -> str | None:
        known = self.index.known_person(self.db, personal)
        return known and Merges.survivor_of(self.db, known)

    def possible_duplicates(self, personal: dict, beneficiary_id: str) -> list[dict]:
        return self.index.possible_duplicates(self.db, personal, beneficiary_id)
