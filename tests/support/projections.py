"""Read models for backbone tests: they run in the real consumer against real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from services.common.consumer import Projection, SourceEvent
from services.common.db import migrations_in

ERASED = "PersonalDataErased"


class Roster(Projection):
    """Names per beneficiary stream; forgets them on PersonalDataErased. Raises on an event whose
    data says `poison`, as a read model meeting an event it can never apply would."""

    migrations = migrations_in(Path(__file__).parent / "sql", "roster_")
    opens_personal = True  # it keeps names: its consumer opens them with the key vault

    def __init__(self, name: str = "roster", sources: tuple[str, ...] = ("registries",)):
        self.name, self.sources = name, sources

    def apply(self, cur, event: SourceEvent) -> None:
        if event.data.get("poison"):
            raise ValueError(f"cannot apply {event.type}: poison")
        beneficiary = event.stream.split("-", 1)[1]
        if event.type == ERASED:
            cur.execute(
                "UPDATE roster SET given_name = NULL, family_name = NULL, events = events + 1"
                " WHERE beneficiary_id = %s",
                (beneficiary,),
            )
            return
        personal = event.personal or {}
        cur.execute(
            "INSERT INTO roster (beneficiary_id, given_name, family_name, site, events) VALUES (%s, %s, %s, %s, 1)"
            " ON CONFLICT (beneficiary_id) DO UPDATE SET events = roster.events + 1,"
            " given_name = coalesce(EXCLUDED.given_name, roster.given_name),"
            " family_name = coalesce(EXCLUDED.family_name, roster.family_name)",
            (
                beneficiary,
                personal.get("given_name"),
                personal.get("family_name"),
                event.metadata.get("site"),
            ),
        )

    def reset(self, cur) -> None:
        cur.execute("DELETE FROM roster")


def roster_rows(db) -> dict[str, tuple]:
    with db.transaction() as cur:
        cur.execute(
            "SELECT beneficiary_id, given_name, family_name, site, events FROM roster ORDER BY 1"
        )
        return {r[0]: r[1:] for r in cur.fetchall()}
