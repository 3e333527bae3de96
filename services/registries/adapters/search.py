"""The registry's search: by AMKA, or by the beginning of every word of a name, over keyed hashes
only (the registry holds no name in clear), each person answered once, as their surviving record."""

from __future__ import annotations

from services.registries.adapters.identity_index import AMKA, IdentityIndex
from services.registries.adapters.merges import Merges
from services.registries.adapters.site_records import SiteRecords


def search(db, index_key: bytes, text: str) -> list[dict]:
    """`{beneficiary_id, exact}`, those matching more whole words (`exact`) first, at most
    SEARCH_LIMIT. An AMKA answers the person's regional record and every centre's site record of
    them: the gateway shows each caller only the ones its network may see."""
    text = (text or "").strip()
    index = IdentityIndex(index_key)
    found: list[dict]
    if text.isdigit() and len(text) == 11:
        found = [
            {"beneficiary_id": r, "exact": 1}
            for b in index.find(db, AMKA, text)
            for r in SiteRecords.all_records(db, b)
        ]
    else:
        found = index.search_names(db, text)
    survivors: dict[str, dict] = {}  # a merged record answers once, as its survivor
    survivor_of = Merges.survivors_of(db, [h["beneficiary_id"] for h in found])
    for hit in found:
        survivor = survivor_of[hit["beneficiary_id"]]
        survivors.setdefault(survivor, {**hit, "beneficiary_id": survivor})
    return sorted(survivors.values(), key=lambda h: (-h["exact"], h["beneficiary_id"]))
