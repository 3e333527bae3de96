"""Site records: a person registered again at another centre, under a number the registry already
holds, is a record of that centre's own linked to the record holding the number (the person's
regional record). The link is kept by the identity index in the append's transaction
(identity_index.py); these are its reads. Access never follows a link: each centre's file stays
its own (docs/security.md, "Identity look-ups")."""

from __future__ import annotations

from services.registries.adapters.merges import Merges


class SiteRecords:
    @staticmethod
    def linked_to(db, records: list[str]) -> list[str]:
        """The site records linked to any of these records (a person's regional record and the
        records merged into it)."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text FROM beneficiary_link"
                " WHERE person_id = ANY(%s::uuid[]) ORDER BY 1",
                (list(records),),
            )
            return [r[0] for r in cur.fetchall()]

    @staticmethod
    def holder_of(db, beneficiary_id: str) -> str | None:
        """The record this site record is linked to (None: it is no site record)."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT person_id::text FROM beneficiary_link WHERE beneficiary_id = %s",
                (beneficiary_id,),
            )
            row = cur.fetchone()
        return row[0] if row else None

    @classmethod
    def all_records(cls, db, beneficiary_id: str) -> list[str]:
        """Every record of the person this record belongs to, whichever centre holds it: the
        surviving regional record first, the records merged into it, then the site records linked
        to them. For the DPO (a person's rights) and the registry's own rules, never for access."""
        regional = cls.holder_of(db, beneficiary_id) or beneficiary_id
        records = Merges.person(db, regional)["records"]
        return records + [r for r in cls.linked_to(db, records) if r not in records]

    @staticmethod
    def reviews(db) -> list[dict]:
        """Every site record, with the regional record it is linked to and the identity keys it
        was typed with differently: for the DPO to review (no personal value, ids only)."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text, person_id::text, site, differs FROM beneficiary_link"
                " ORDER BY person_id, beneficiary_id"
            )
            return [
                {
                    "beneficiary_id": b,
                    "linked_to": Merges.survivor_of(db, p),
                    "site": site,
                    "differs": list(differs),
                }
                for b, p, site, differs in cur.fetchall()
            ]
