"""The beneficiary registry's identity index, kept in the append's transaction: a registration is
findable the moment it is stored, and an erased person is not findable at all."""
from __future__ import annotations

from pathlib import Path

from contracts.names import BENEFICIARY_REGISTERED, PERSONAL_DATA_ERASED
from services.common.db import migrations_in
from services.common.personal_data import blind_index

MIGRATIONS = migrations_in(Path(__file__).parent / "sql", "registries_")
AMKA, NAME_AND_BIRTH = "amka", "name+birth"


class IdentityIndex:
    def __init__(self, index_key: bytes):
        self.index_key = index_key

    def digests(self, personal: dict) -> list[tuple[str, str]]:
        found = []
        if personal.get("amka"):
            found.append((AMKA, blind_index(self.index_key, AMKA, personal["amka"])))
        if personal.get("birth_date") and personal.get("family_name"):
            name = f"{personal.get('given_name', '')} {personal['family_name']}"
            found.append((NAME_AND_BIRTH, blind_index(self.index_key, "name", f"{name} {personal['birth_date']}")))
        return found

    def __call__(self, cur, events) -> None:
        for e in events:
            beneficiary = e.data.get("beneficiary_id") or e.stream.split("-", 1)[1]
            if e.type == BENEFICIARY_REGISTERED and e.personal:
                for kind, digest in self.digests(e.personal):
                    cur.execute("INSERT INTO identity_index (kind, digest, beneficiary_id) VALUES (%s, %s, %s)"
                                " ON CONFLICT DO NOTHING", (kind, digest, beneficiary))
            elif e.type == PERSONAL_DATA_ERASED:
                cur.execute("DELETE FROM identity_index WHERE beneficiary_id = %s", (beneficiary,))

    def find(self, db, kind: str, value: str) -> list[str]:
        key_kind = "name" if kind == NAME_AND_BIRTH else kind
        with db.transaction() as cur:
            cur.execute("SELECT beneficiary_id::text FROM identity_index WHERE kind = %s AND digest = %s"
                        " ORDER BY 1", (kind, blind_index(self.index_key, key_kind, value)))
            return [r[0] for r in cur.fetchall()]
