"""Hand-written fakes of the application layer's own ports (the Protocols the use cases are given),
for unit tests: plain dictionaries instead of PostgreSQL read models and RPC proxies. Each fake
records what it was asked, so a test can say which facts a use case looked up."""

from __future__ import annotations

from collections.abc import Iterable


class FakeIdentities:
    """The registries' `Identities`: the records of the person a set of personal fields already
    identifies, the sites of a centre's network, and who else may be the same person. Keyed here
    by AMKA alone, which is all the tests need."""

    NETWORKS = ({"KK-KALAMATA", "MU-KALAMATA"}, {"KK-SPARTI"})

    def __init__(self, known: dict[str, str] | None = None, duplicates: list[dict] | None = None):
        self.known, self.duplicates = known or {}, duplicates or []
        self.asked: list[dict] = []

    def records_of_person(self, personal: dict) -> list[str]:
        self.asked.append(personal)
        known = self.known.get(personal.get("amka") or "")
        return [known] if known else []

    def network_of(self, site: str) -> frozenset[str]:
        return frozenset(next((n for n in self.NETWORKS if site in n), {site}))

    def possible_duplicates(self, personal: dict, beneficiary_id: str) -> list[dict]:
        return [d for d in self.duplicates if d["beneficiary_id"] != beneficiary_id]


class FakeRegistry:
    """The referrals' `Registry`: agencies and programmes as the registries' read RPCs give them."""

    def __init__(self, agencies: Iterable[dict] = (), programmes: Iterable[dict] = ()):
        self.agencies = {str(a["agency_id"]): a for a in agencies}
        self.programmes = {str(p["programme_id"]): p for p in programmes}
        self.asked: list[tuple[str, str]] = []

    def agency(self, agency_id: str) -> dict | None:
        self.asked.append(("agency", str(agency_id)))
        return self.agencies.get(str(agency_id))

    def programme(self, programme_id: str) -> dict | None:
        self.asked.append(("programme", str(programme_id)))
        return self.programmes.get(str(programme_id))


class FakeConsents:
    """The referrals' `Consents`: intake's answer to "may this person's data go to that recipient
    on that day". A consent runs from its first day to its last (None: open-ended), dates as ISO
    text, as they travel over RPC."""

    def __init__(self):
        self.given: dict[tuple[str, str], tuple[str, str | None]] = {}
        self.asked: list[tuple[str, str, str]] = []

    def give(self, beneficiary_id, recipient: str, from_: str, until: str | None = None) -> None:
        self.given[(str(beneficiary_id), recipient)] = (from_, until)

    def withdraw(self, beneficiary_id, recipient: str) -> None:
        self.given.pop((str(beneficiary_id), recipient), None)

    def may_share_with(self, beneficiary_id: str, recipient: str, on: str) -> bool:
        self.asked.append((beneficiary_id, recipient, on))
        found = self.given.get((beneficiary_id, recipient))
        return found is not None and found[0] <= on and (found[1] is None or on <= found[1])
