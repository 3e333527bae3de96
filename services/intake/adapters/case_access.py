"""What the gateway's access policy needs from a person's cases, kept in the append's
transaction by a trigger on the store's INSERT (sql/intake_002: the append stays one call): the
sites that recorded on each case, the centres it was transferred to, and each recipient's
consent as it stands. Asked at every decision on a person (a search asks it for all its hits at
once), it is read from these tables in one query instead of replaying every case, and it is
exactly as current as the streams: a withdrawal or a transfer holds from the very next request.
The migration (sql/intake_001_case_access.sql) projects the cases stored before it the same
way."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from services.common.db import migrations_in

MIGRATIONS = migrations_in(Path(__file__).parent / "sql", "intake_")


class CaseAccess:
    """The tables are kept by a trigger on the store's INSERT (sql/intake_002), inside the
    append's own call and transaction; this reads them."""

    @staticmethod
    def facts(db, people: list[list[str]], on: date) -> list[dict]:
        """For each person (the ids of their records), in the order asked: the sites that
        recorded on their cases, the centres the cases were transferred to, and the recipients
        their consent covers on `on` (a withdrawn consent covers no day). One query for all."""
        asked = [(n, r) for n, records in enumerate(people) for r in records if _is_uuid(r)]
        found: list[dict[str, set[str]]] = [
            {"sites": set(), "transferred_to": set(), "consents": set()} for _ in people
        ]
        with db.statement() as cur:
            cur.execute(
                "WITH asked AS (SELECT * FROM unnest(%(n)s::int[], %(id)s::uuid[])"
                "  AS a(n, beneficiary_id))"
                " SELECT a.n, 'sites', s.site FROM asked a JOIN case_site s USING (beneficiary_id)"
                " UNION ALL SELECT a.n, 'transferred_to', t.to_site"
                "  FROM asked a JOIN case_transfer t USING (beneficiary_id)"
                " UNION ALL SELECT a.n, 'consents', c.recipient"
                "  FROM asked a JOIN case_consent c USING (beneficiary_id)"
                "  WHERE c.withdrawn_on IS NULL AND c.given_on <= %(on)s"
                "  AND (c.until IS NULL OR %(on)s <= c.until)",
                {"n": [n for n, _ in asked], "id": [r for _, r in asked], "on": on},
            )
            for n, kind, value in cur.fetchall():
                found[n][kind].add(value)
        return [{kind: sorted(values) for kind, values in person.items()} for person in found]

    @staticmethod
    def met_in(db, beneficiary_id: str, network: list[str]) -> bool:
        """Whether this record's case was met, or transferred, in one of these sites: enough for
        the access policy to let that network act on it (the policy's other facts can only
        widen who may). One indexed query."""
        with db.statement() as cur:
            cur.execute(
                "SELECT EXISTS (SELECT 1 FROM case_site WHERE beneficiary_id = %(b)s"
                " AND site = ANY(%(n)s)) OR EXISTS (SELECT 1 FROM case_transfer"
                " WHERE beneficiary_id = %(b)s AND to_site = ANY(%(n)s))",
                {"b": beneficiary_id, "n": list(network)},
            )
            return bool(cur.fetchone()[0])


def _is_uuid(text: str) -> bool:
    """A record id that is no UUID has no case (as its stream has no event)."""
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True
