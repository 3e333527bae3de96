"""Use cases of the agencies and programmes registries, and the HSDS import that drives them."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import asdict

from services.common.application import execute, load
from services.common.event_codec import encoder, jsonable
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.common.eventstore.hashing import canonical_json
from services.registries.adapters.hsds import PackageRejected, Problem
from services.registries.adapters.hsds_import import read_package
from services.registries.adapters.hsds_json import tabular_files
from services.registries.domain import directory

_encode = encoder()
_decider = sys.modules[directory.__name__]


class Directory:
    def __init__(self, store: EventStore):
        self.store = store

    def describe_agency(self, details: dict, metadata: Metadata) -> AppendResult:
        details = jsonable(details)
        stream = stream_name(directory.AGENCY, details["agency_id"])
        return execute(
            self.store,
            stream,
            _decider,
            directory.DescribeAgency(details),
            metadata,
            details,
            _encode,
        )

    def describe_programme(self, details: dict, metadata: Metadata) -> AppendResult:
        details = jsonable(details)
        agency = load(
            self.store, stream_name(directory.AGENCY, details["agency_id"]), _decider
        ).state
        command = directory.DescribeProgramme(details, agency_registered=agency.details is not None)
        stream = stream_name(directory.PROGRAMME, details["programme_id"])
        return execute(self.store, stream, _decider, command, metadata, details, _encode)

    def import_hsds(self, files: dict[str, str], metadata_for) -> dict:
        """Every row is checked before anything is stored (PackageRejected names each problem). Each
        description's command id is its content's hash: importing the same package again, or
        resuming one cut short, stores nothing twice. The answer lists the notices: what was kept
        without being used, left out, or assumed. HSDS's JSON objects (`service_full.json`, a
        `*_list.json` page, ...) are read as the tables they hold."""
        agencies, programmes, notices = read_package(tabular_files(files))
        self._refuse_moved_programmes(programmes)
        counts = {"registered": 0, "changed": 0, "unchanged": 0}
        for details, describe in [
            *((a, self.describe_agency) for a in agencies),
            *((p, self.describe_programme) for p in programmes),
        ]:
            digest = hashlib.sha256(canonical_json(jsonable(details))).hexdigest()[:32]
            result = describe(details, metadata_for(f"hsds-{digest}"))
            kinds = [e.type for e in result.events] if not result.duplicate else []
            key = (
                "unchanged"
                if not kinds
                else "registered"
                if kinds[0].endswith("Registered")
                else "changed"
            )
            counts[key] += 1
        return {
            "agencies": len(agencies),
            "programmes": len(programmes),
            **counts,
            "notices": [asdict(n) for n in notices],
        }

    def _refuse_moved_programmes(self, programmes: list[dict]) -> None:
        """The one rule a valid package can still break: checked before anything is stored."""
        moved = []
        for p in programmes:
            stored = load(
                self.store, stream_name(directory.PROGRAMME, p["programme_id"]), _decider
            ).state.details
            if stored and stored["agency_id"] != str(p["agency_id"]):
                moved.append(
                    Problem(
                        "programs.csv",
                        None,
                        "organization_id",
                        f"program {p['programme_id']} stays with the agency that registered it",
                    )
                )
        if moved:
            raise PackageRejected(moved)
