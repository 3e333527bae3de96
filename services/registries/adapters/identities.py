"""The registry's knowledge of who is who, as the registration use case asks for it: every record
of the person a number already identifies (merged and site records included), the sites of a
centre's network, and who else may be the same person. Keyed hashes only (identity_index.py);
merges from merges.py, site records from site_records.py."""

from __future__ import annotations

from services.registries.adapters.identity_index import IdentityIndex
from services.registries.adapters.network_directory import NetworkDirectory
from services.registries.adapters.site_records import SiteRecords


class Identities:
    def __init__(self, db, index_key: bytes):
        self.db, self.index = db, IdentityIndex(index_key)

    def records_of_person(self, personal: dict) -> list[str]:
        holder = self.index.known_person(self.db, personal)
        return SiteRecords.all_records(self.db, holder) if holder else []

    def network_of(self, site: str) -> frozenset[str]:
        """A centre with its mobile units (a mobile unit: its centre and the centre's units)."""
        sites = NetworkDirectory.sites(self.db)
        parent = next((s.get("parent_centre") for s in sites if s["site"] == site), None) or site
        return frozenset({parent} | {s["site"] for s in sites if s.get("parent_centre") == parent})

    def possible_duplicates(self, personal: dict, beneficiary_id: str) -> list[dict]:
        return self.index.possible_duplicates(self.db, personal, beneficiary_id)
