"""Where records were registered, read from the store's own rows without opening anything
personal: what the gateway's access policy asks for every hit of a search at once."""

from __future__ import annotations

from contracts.names import BENEFICIARY_REGISTERED
from services.common.eventstore import stream_name
from services.registries.domain.beneficiary import CATEGORY


def registering_sites(db, records: list[str]) -> dict[str, str | None]:
    """The site that registered each of these records that was registered (a registration is
    a record's first event), by record id; one query on the streams' (stream, version) key."""
    streams = {stream_name(CATEGORY, r): str(r) for r in records}
    with db.transaction() as cur:
        cur.execute(
            "SELECT stream, metadata->>'site' FROM events"
            " WHERE stream = ANY(%s) AND version = 1 AND type = %s",
            (list(streams), BENEFICIARY_REGISTERED),
        )
        return {streams[stream]: site for stream, site in cur.fetchall()}
